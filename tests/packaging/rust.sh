#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Rust crates, as bindings/rust/README.md ("Install") says: a copy of
# tests/packaging/rust-quickstart (README's quick start: a crate whose one dependency,
# `cgym = { path = "/path/to/libcgym/bindings/rust" }`, is set to this checkout) is built and
# run with `cargo run` in a directory outside the source tree, with no CGYM_* variable and no
# LD_LIBRARY_PATH: cgym-sys finds the installed libcgym through pkg-config (cgym.pc), and
# libcgym the installed LLVM service and dataset by itself. Checks the quick start's lines and
# that the program loaded the libcgym pkg-config names; first, that cgym-sys's checked-in
# bindings are what bindgen makes of cgym.h (bindings/rust/cgym-sys/generate.sh --check).
# Needs libcgym installed where pkg-config and the dynamic loader find it: in CI the /usr/local
# tree of `cmake --install build/release` followed by `ldconfig` (tests/packaging/c.sh leaves it).
#   Usage: tests/packaging/rust.sh [--prefix DIR]
#   --prefix DIR: use a libcgym installed with `cmake --install BUILD --prefix DIR` instead
#                 (for a developer without root): PKG_CONFIG_PATH and, since such a prefix is
#                 not in the loader's cache, LD_LIBRARY_PATH are set to DIR's.
# CARGO_TARGET_DIR (default build/rust-target) holds the generator's build; the quick start
# builds in its own temporary directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/packaging/lib.sh
template=tests/packaging/rust-quickstart

prefix=""
case "${1:-}" in
  --prefix) [[ -n ${2:-} ]] || fail "usage: $0 [--prefix DIR]"; prefix=$(cd "$2" && pwd) ;;
  "") ;;
  *) fail "usage: $0 [--prefix DIR]" ;;
esac

echo "== bindings/rust/cgym-sys/generate.sh --check"
bash bindings/rust/cgym-sys/generate.sh --check

clean_environment
if [[ -n $prefix ]]; then
  export PKG_CONFIG_PATH=$prefix/lib/pkgconfig LD_LIBRARY_PATH=$prefix/lib
fi
installed=$(pkg-config --modversion cgym 2>/dev/null) ||
  fail "pkg-config finds no cgym: install libcgym first (cmake --install build/release; ldconfig)"
[[ $installed == "$version" ]] || fail "pkg-config's cgym is $installed, include/cgym.h $version"
libdir=$(cd "$(pkg-config --variable=libdir cgym)" && pwd -P)

work=$(mktemp -d "${TMPDIR:-/tmp}/cgym-package-rust.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$template" "$work/quickstart"
sed -i "s|^cgym = { path = \"[^\"]*\" }$|cgym = { path = \"$repo/bindings/rust\" }|" \
  "$work/quickstart/Cargo.toml"
grep -qF "cgym = { path = \"$repo/bindings/rust\" }" "$work/quickstart/Cargo.toml" ||
  fail "could not set the path dependency"

echo "== cargo run (in $work/quickstart, libcgym $installed from $libdir)"
start=$(date +%s.%N)
(cd "$work/quickstart" && CARGO_TARGET_DIR=$work/target cargo run -q -j2) >"$work/out.txt" 2>&1 ||
  fail "the quick start failed: $(cat "$work/out.txt")"
end=$(date +%s.%N)
cat "$work/out.txt"
[[ $(head -n1 "$work/out.txt") == "libcgym $version" ]] || fail "not libcgym $version"
[[ $(grep -cE '^-[a-z0-9-]+: reward -?[0-9.e-]+$' "$work/out.txt") == 5 ]] ||
  fail "not 5 steps with a reward"
loaded=$(ldd "$work/target/debug/cgym-quickstart" | sed -n 's/^\s*libcgym\.so\.[0-9]* => \(\S*\) .*/\1/p')
[[ -n $loaded && $(cd "$(dirname "$loaded")" && pwd -P) == "$libdir" ]] ||
  fail "the quick start loads libcgym from '$loaded', not from pkg-config's $libdir"
echo "(build and run: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s)"
# Again with the source tree hidden: the program needs nothing from it once built.
hidden "$work/target/debug/cgym-quickstart" >"$work/hidden.txt" 2>&1 ||
  fail "the quick start failed with the source tree hidden: $(cat "$work/hidden.txt")"
cmp -s "$work/out.txt" "$work/hidden.txt" || fail "another output with the source tree hidden"
echo "rust.sh: passed"
