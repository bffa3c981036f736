#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds and installs the Python binding (bindings/python) into build/venv-python, against
# the headers in include/ and the library in build/release (scripts/build.sh first).
set -euo pipefail
cd "$(dirname "$0")/.."
CGYM_INCLUDE_DIR=$PWD/include CGYM_LIBRARY_DIR=$PWD/build/release \
  build/venv-python/bin/pip install -q --disable-pip-version-check --no-build-isolation \
  --no-deps --force-reinstall ./bindings/python
