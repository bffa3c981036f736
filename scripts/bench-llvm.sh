#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The LLVM environment against CompilerGym 0.2.5's own LLVM service (docs/llvm.md, "Performance"):
# builds in Release into build/bench-release (or $BUILD_DIR), then runs both services on the
# same programs with the same client and prints one Markdown table of ratios.
#   scripts/bench-llvm.sh [--smoke] [cgym_bench_llvm flags: --repetitions N, --min-time S, ...]
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
scripts/setup.sh
dir=${BUILD_DIR:-build/bench-release}
mkdir -p "$dir"
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCGYM_BUILD_TESTS=OFF \
  >"$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; exit 1; }
ninja -C "$dir" cgym_bench_llvm cgym_bench_llvm10_program
service=$(echo build/venv-compiler-gym/lib/python3*/site-packages/compiler_gym/envs/llvm/service/compiler_gym-llvm-service)
out="$dir/results"
mkdir -p "$out"
echo "bench-llvm: load before: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores)"
bench/llvm/run.sh --bench "$dir/bench/llvm/cgym_bench_llvm" \
  --program-tool "$dir/bench/llvm/cgym_bench_llvm10_program" \
  --compiler-gym-service "$service" --work-dir "$dir/bench/llvm/programs" "$@" |
  tee "$out/llvm.md"
echo "bench-llvm: load after: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores)"
echo "bench-llvm: done in $(($(date +%s) - start)) s; the table is in $out/llvm.md"
