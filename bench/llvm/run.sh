#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the LLVM comparison (docs/llvm.md, "Performance"): compiles the small and the large program of the
# bundled dataset into bitcode both LLVMs read, then runs cgym_bench_llvm on them.
#   run.sh --bench BIN --program-tool BIN --compiler-gym-service PATH --work-dir DIR
#          [--small NAME] [--large NAME] [other cgym_bench_llvm flags, e.g. --smoke]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dataset="$here/../../services/llvm/dataset/programs"
small=minilang
large=crypto
bench="" tool="" service="" work=""
rest=()
while (($#)); do
  case "$1" in
    --bench) bench=$2; shift 2 ;;
    --program-tool) tool=$2; shift 2 ;;
    --compiler-gym-service) service=$2; shift 2 ;;
    --work-dir) work=$2; shift 2 ;;
    --small) small=$2; shift 2 ;;
    --large) large=$2; shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done
[ -n "$bench" ] && [ -n "$tool" ] && [ -n "$service" ] && [ -n "$work" ] || {
  echo "usage: run.sh --bench BIN --program-tool BIN --compiler-gym-service PATH --work-dir DIR" >&2
  exit 2
}
[ -x "$service" ] || { echo "run.sh: no CompilerGym LLVM service at $service" >&2; exit 2; }
mkdir -p "$work"
for name in "$small" "$large"; do
  "$tool" "$dataset/$name.c" "$work/$name.bc"
done
# The client warns on every change of benchmark within an episode (the benchmark switches
# benchmarks between figures on purpose): those lines are dropped.
GRPC_VERBOSITY=${GRPC_VERBOSITY:-NONE} "$bench" --compiler-gym-service "$service" \
  --small "$work/$small.bc" --large "$work/$large.bc" "${rest[@]}" \
  2> >(grep --line-buffered -v "Changing the benchmark has no effect until reset" >&2)
