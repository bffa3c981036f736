#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Generates src/bindings.rs (cgym-sys's FFI declarations) from include/cgym.h with bindgen,
# through the generator crate gen/ (bindgen pinned there; it needs libclang 16, Debian's
# libclang1-16, which clang-16 brings). Run it after changing cgym.h, and commit the result.
#   Usage: bindings/rust/cgym-sys/generate.sh [--check]
#   --check: generate into a temporary file and fail, showing the diff, if it differs from
#            the checked-in src/bindings.rs (CI runs this).
# Build products go to $CARGO_TARGET_DIR (default: build/rust-target in the repository).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# The libclang the checked-in file was generated with, unless the caller chose one.
if [ -z "${LIBCLANG_PATH:-}" ] && [ -d /usr/lib/llvm-16/lib ]; then
  export LIBCLANG_PATH=/usr/lib/llvm-16/lib
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/build/rust-target}
cargo build -q -j2 --locked --manifest-path "$root/bindings/rust/Cargo.toml" -p cgym-sys-gen
generator=$CARGO_TARGET_DIR/debug/cgym-sys-gen

target=$here/src/bindings.rs
if [ $check -eq 0 ]; then
  "$generator" "$root/include/cgym.h" "$target"
  echo "generate: wrote ${target#"$root"/}"
  exit 0
fi
fresh=$(mktemp "${TMPDIR:-/tmp}/cgym-bindings.XXXXXX.rs")
trap 'rm -f "$fresh"' EXIT
"$generator" "$root/include/cgym.h" "$fresh"
if ! diff -u --label "checked in: ${target#"$root"/}" --label "generated from include/cgym.h" \
  "$target" "$fresh"; then
  echo "generate --check: ${target#"$root"/} is out of date: run bindings/rust/cgym-sys/generate.sh" >&2
  exit 1
fi
echo "generate --check: ${target#"$root"/} is up to date"
