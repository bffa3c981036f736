#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The static checks CI enforces (scripts/test.sh runs each as a suite; run one with its name):
#   format    clang-format --dry-run -Werror on every C and C++ file of ours
#   python    ruff check and ruff format --check on the Python code
#   rust      cargo fmt --check and cargo clippy -D warnings on the Rust binding
#   layers    no #include crosses a layer the wrong way (scripts/check-layers.sh)
#   parity    every cgym.h function is reachable from each binding (scripts/check-parity.py)
#   versions  the bindings' manifests carry cgym.h's version (scripts/check-versions.sh)
#   apidocs   the C API reference builds with Doxygen without a warning (scripts/api-docs.sh)
#   readme    README.md's install commands and quick starts are what tests/packaging runs
#             (scripts/check-readme.py)
# Usage: scripts/lint.sh [CHECK...]   (no argument: all of them)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

check_format() {
  local files=()
  while IFS= read -r -d '' f; do [ -f "$f" ] && files+=("$f"); done < <(
    git ls-files -z --cached --others --exclude-standard '*.c' '*.cc' '*.h' '*.cpp')
  clang-format --dry-run -Werror "${files[@]}"
}
check_python() {
  local ruff=${RUFF:-build/venv-python/bin/ruff}
  # One configuration (bindings/python/pyproject.toml) for all of our Python code; the package
  # is checked from its own directory so that ruff knows which imports are first-party.
  local config=bindings/python/pyproject.toml
  "$ruff" check bindings/python
  "$ruff" format --check bindings/python
  "$ruff" check --config "$config" tests/python tests/packaging bench examples
  "$ruff" format --check --config "$config" tests/python tests/packaging bench examples
}
check_rust() {
  (cd bindings/rust && cargo fmt --check)
  (cd bindings/rust && CARGO_TARGET_DIR="$root/build/rust-target" \
    CGYM_LIBRARY_DIR="${CGYM_LIBRARY_DIR:-$root/build/release}" \
    cargo clippy -q -j2 --workspace --all-targets -- -D warnings)
}
check_layers() { bash scripts/check-layers.sh; }
check_parity() { python3 scripts/check-parity.py; }
check_versions() { bash scripts/check-versions.sh; }
check_apidocs() { bash scripts/api-docs.sh build/api-docs; }
check_readme() { python3 scripts/check-readme.py; }

checks=("$@")
((${#checks[@]})) || checks=(format python rust layers parity versions apidocs readme)
status=0
for check in "${checks[@]}"; do
  echo "-- lint: $check"
  if ! "check_$check"; then
    echo "-- lint: $check FAILED"
    status=1
  fi
done
exit $status
