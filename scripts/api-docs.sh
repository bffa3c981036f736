#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the C API reference (HTML) from include/cgym.h with Doxygen into build/api-docs
# (or $1). Fails on any Doxygen warning, so that the header's comments stay well-formed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/api-docs}
mkdir -p "$out"
CGYM_DOXYGEN_OUT=$out doxygen docs/Doxyfile
echo "api-docs: $out/html/index.html"
