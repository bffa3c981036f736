#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the same LLVM episode in C, C++, Python, Rust and Java and checks that the twelve rewards
# of every step are the same doubles, bit for bit, in all five: the rewards are computed once,
# behind cgym.h, and each language only reads them. Each printer (examples/llvm_rewards_episode.c
# and .cc, bindings/python/tests/llvm_rewards_episode.py,
# bindings/rust/examples/llvm_rewards_episode.rs,
# bindings/java/.../examples/LlvmRewardsEpisode.java) steps benchmark://cgym-v0/fibonacci
# through ten passes and prints "step, action, reward name, IEEE-754 bits" lines.
# Usage: scripts/check-rewards-across-languages.sh [BUILD_DIR]  (default build/release; run
# after scripts/test.sh has built the library, the Python venv, the Rust and Java bindings).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=$(realpath "${1:-build/release}")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() {  # run LANGUAGE COMMAND...: the printer's stdout into $out/LANGUAGE.txt
  local language=$1
  shift
  if ! "$@" >"$out/$language.txt" 2>"$out/$language.err"; then
    echo "rewards: the $language printer failed:" >&2
    cat "$out/$language.err" >&2
    exit 1
  fi
}

run c "$build/examples/cgym-llvm-rewards-episode-c"
# The C++ client links no plugin loader (libcgym does): it runs the managed service.
run cpp env CGYM_LLVM_SERVICE="$build/services/llvm/cgym-llvm-service" \
  "$build/examples/cgym-llvm-rewards-episode-cc"
run python build/venv-python/bin/python bindings/python/tests/llvm_rewards_episode.py
run rust env CARGO_TARGET_DIR="$root/build/rust-target" CGYM_LIBRARY_DIR="$build" \
  cargo run -q -j2 --manifest-path bindings/rust/Cargo.toml --example llvm_rewards_episode
run java env CGYM_LIBRARY_DIR="$build" \
  bash bindings/java/build.sh run org.libcgym.examples.LlvmRewardsEpisode

lines=$(wc -l <"$out/c.txt")
if [ "$lines" -ne 120 ]; then
  echo "rewards: the C printer printed $lines lines, not 120 (10 steps x 12 rewards)" >&2
  exit 1
fi
status=0
for language in cpp python rust java; do
  if ! diff -u "$out/c.txt" "$out/$language.txt" >&2; then
    echo "rewards: $language differs from C (above)" >&2
    status=1
  fi
done
if [ $status -eq 0 ]; then
  echo "rewards: the 120 rewards of the episode are bit-identical in C, C++, Python, Rust and Java"
fi
exit $status
