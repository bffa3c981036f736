#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds and installs the Python binding (bindings/python) into a venv, against the headers in
# include/ and a build of libcgym (scripts/build.sh first).
#   Usage: install-python-binding.sh [LIBRARY_DIR [VENV]]
#   defaults: build/release and build/venv-python; scripts/bench.sh uses build/bench-release
#   and build/venv-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
libdir=${1:-build/release}
venv=${2:-build/venv-python}
CGYM_INCLUDE_DIR=$PWD/include CGYM_LIBRARY_DIR=$(realpath "$libdir") \
  "$venv/bin/pip" install -q --disable-pip-version-check --no-build-isolation \
  --no-deps --force-reinstall ./bindings/python
