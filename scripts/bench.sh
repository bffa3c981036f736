#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmarks (issue 6): builds in Release into build/bench-release, runs every benchmark next
# to its reference (interleaved repetitions), and prints one table of ratios against the
# targets, then the service's memory use. The Python rows come from bench/bench_python.py,
# run with the binding built against this build (in build/venv-bench). See
# docs/performance.md.
#   REPETITIONS (default 25) and MIN_TIME (seconds per repetition, default 0.05) tune the run.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
scripts/setup.sh --bench
dir=build/bench-release
mkdir -p "$dir"
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCGYM_BUILD_TESTS=OFF \
  >"$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; exit 1; }
ninja -C "$dir" cgym_bench cgym_bench_rss cgym_bench_vector_rss cgym_bench_sizes cgym_bench_pyref \
  cgym-example-service-cc
# The binding (pip install, a Release libcgym of its own, which libcgym_bench_pyref.so shares
# once the binding is loaded: one libcgym per process, by its SONAME).
scripts/install-python-binding.sh build/venv-bench
"$dir/bench/cgym_bench_sizes"

out="$dir/results"
mkdir -p "$out"
echo "bench: load before: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores)"
echo "bench: running the benchmarks (${REPETITIONS:-25} interleaved repetitions)..."
GRPC_VERBOSITY=NONE "$dir/bench/cgym_bench" \
  --benchmark_repetitions="${REPETITIONS:-25}" \
  --benchmark_enable_random_interleaving=true \
  --benchmark_min_time="${MIN_TIME:-0.05}" \
  --benchmark_display_aggregates_only=true \
  --benchmark_out="$out/bench.json" --benchmark_out_format=json >"$out/bench.txt" 2>&1 ||
  { cat "$out/bench.txt"; exit 1; }
echo "bench: measuring the service's memory..."
GRPC_VERBOSITY=NONE "$dir/bench/cgym_bench_rss" "$dir/services/example_cc/cgym-example-service-cc" \
  >"$out/rss.json" 2>"$out/rss.log" || { cat "$out/rss.log"; exit 1; }
# Vector envs: 1,000 example sessions over 10,000 vector steps, and 100 LLVM sessions (the LLVM
# service of this build) over 1,000 (an LLVM step costs ~1,000 times an example step).
echo "bench: measuring the memory of vector envs..."
llvm_service=${CGYM_LLVM_SERVICE:-$PWD/$dir/services/llvm/cgym-llvm-service}
[ -x "$llvm_service" ] || llvm_service=
CGYM_LLVM_SERVICE=$llvm_service GRPC_VERBOSITY=NONE "$dir/bench/cgym_bench_vector_rss" \
  "$dir/services/example_cc/cgym-example-service-cc" ${VECTOR_RSS_ARGS:-} \
  >"$out/vector_rss.json" 2>"$out/vector_rss.log" || { cat "$out/vector_rss.log"; exit 1; }
# The same total time in ten times as many, ten times shorter, repetitions: a Python figure
# and its reference share one process, so a finer interleaving spreads the machine's load
# more evenly over both (the gRPC row's ratio varied by +-0.2x with 25 repetitions under load).
py_reps=$((${REPETITIONS:-25} * 10))
py_min_time=$(python3 -c "print(${MIN_TIME:-0.05} / 10)")
echo "bench: running the Python benchmarks ($py_reps interleaved repetitions)..."
GRPC_VERBOSITY=NONE build/venv-bench/bin/python bench/bench_python.py --build-dir "$dir" \
  --repetitions="$py_reps" --min-time="$py_min_time" \
  --out "$out/python.json" >"$out/python.txt" 2>&1 || { cat "$out/python.txt"; exit 1; }
echo
python3 bench/report.py "$out/bench.json" "$out/rss.json" --python "$out/python.json" \
  --vector-rss "$out/vector_rss.json" |
  tee "$out/table.txt"
echo
echo "bench: load after: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores)"
echo "bench: done in $(($(date +%s) - start)) s; raw results in $out/"
