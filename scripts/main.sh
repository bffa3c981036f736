#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: builds libcgym with the LLVM environment, then does real compiler work with it.
#  1. `cgym random-search` (the command line of the Python package) looks for pass orders that
#     shrink each of the 22 bundled programs (benchmark://cgym-v0) more than LLVM's -Oz does,
#     on two workers, each with its own managed LLVM service (a pass that crashes LLVM 16
#     kills only that service), MAIN_SECONDS seconds per program (default 8), and prints a
#     table: instruction counts at -O0, at -Oz and the best found, the ratio to -Oz and the
#     geometric mean.
#  2. `cgym replay` validates the best states: each is replayed, its reward checked, and the
#     optimised program built, run and compared with the unoptimised one.
#  3. The example agents search too: a greedy search in C (examples/llvm_search.c), Rust
#     (bindings/rust/examples/llvm_search.rs) and Java (LlvmSearch.java) on one program each.
# Results go to build/main/ (the CSV of best states). Extra arguments go to random-search.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${MAIN_SECONDS:-8}

scripts/setup.sh
scripts/build.sh build/release
scripts/install-python-binding.sh
mkdir -p build/main
cgym=build/venv-python/bin/cgym

echo "== random search: ${seconds} s per bundled program, 2 workers"
"$cgym" random-search --dataset benchmark://cgym-v0 --time "$seconds" --workers 2 \
  --seed 1 --output build/main/random-search.csv "$@"

echo "== validating the best states"
# A state whose program misbehaves is a miscompile by LLVM 16 that the search stumbled on
# (NewGVN's, say): validation is there to catch it, and the job goes on to report the rest.
if ! "$cgym" replay build/main/random-search.csv; then
  echo "== validation found states whose optimised program misbehaves (see docs/llvm.md)"
fi

echo "== greedy search in C"
build/release/examples/cgym-llvm-search-c benchmark://cgym-v0/sorting
echo "== greedy search in Rust"
CARGO_TARGET_DIR="$root/build/rust-target" CGYM_LIBRARY_DIR="$root/build/release" \
  cargo run -q -j2 --manifest-path bindings/rust/Cargo.toml --example llvm_search -- \
  benchmark://cgym-v0/checksums
echo "== greedy search in Java"
CGYM_LIBRARY_DIR="$root/build/release" bash bindings/java/build.sh run \
  org.libcgym.examples.LlvmSearch benchmark://cgym-v0/hashtable
