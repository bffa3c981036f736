#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Python package (bindings/python: a wheel with its own Release build of libcgym,
# the LLVM service and plugin, and the dataset; docs/python.md) and installs it into a venv,
# as `pip install ./bindings/python` does, but offline (--no-build-isolation: the venv holds
# the pinned build backend of requirements-test.txt) and incrementally: CMake's build stays in
# build/python-wheel/<wheel tag> (or SKBUILD_BUILD_DIR), so a rerun rebuilds only what changed.
#   Usage: install-python-binding.sh [VENV]
#   default: build/venv-python (scripts/setup.sh makes it); scripts/bench.sh uses build/venv-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
if (($# > 1)); then
  echo "usage: $0 [VENV]" >&2
  exit 2
fi
venv=${1:-build/venv-python}
# At most two compile jobs (the project's machines have two cores), unless told otherwise.
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
# scikit-build-core replaces {wheel_tag} (cp311-cp311-linux_x86_64, say).
build_dir=$PWD/build/python-wheel/{wheel_tag}
build_dir=${SKBUILD_BUILD_DIR:-$build_dir}
"$venv/bin/pip" install -q --disable-pip-version-check --no-build-isolation --no-deps \
  --force-reinstall --config-settings="build-dir=$build_dir" ./bindings/python
