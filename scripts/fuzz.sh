#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds and runs libcgym's libFuzzer targets (fuzz/README.md says what each one fuzzes).
#
#   scripts/fuzz.sh build               configure and build build/fuzz (clang-16, ASan + UBSan)
#   scripts/fuzz.sh ci [SECONDS]        replay every corpus, then fuzz each target SECONDS
#                                       (default 60), 2 at a time; fails on any crash
#   scripts/fuzz.sh long HOURS [T...]   fuzz each target (or the targets T) for HOURS of CPU
#                                       time, one after another, going on after a crash; a
#                                       summary line per target in OUT/summary.txt
#   scripts/fuzz.sh run T [ARGS...]     run fuzzer T on its corpus with libFuzzer's ARGS
#                                       (e.g. -max_total_time=600, or a crash file to replay it)
#   scripts/fuzz.sh merge T DIR...      add to the corpus of T the fewest inputs of DIR... that
#                                       cover the edges it does not (libFuzzer's merge)
#   scripts/fuzz.sh seeds               regenerate the seed corpora fuzz/corpus/*/seed-*
#   scripts/fuzz.sh list                the targets
#
# Environment: CGYM_FUZZ_BUILD (build/fuzz), CGYM_FUZZ_OUT (where runs put logs, new inputs and
# crashes: build/fuzz/out), CGYM_FUZZ_JOBS (targets fuzzed at once by `ci`: 2).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${CGYM_FUZZ_BUILD:-build/fuzz}
out=${CGYM_FUZZ_OUT:-$build/out}
jobs=${CGYM_FUZZ_JOBS:-2}
targets=(service_core_cc service_core_c values states)

# libFuzzer's options for every run: inputs up to 4 KiB (enough for a few dozen requests); an
# input that runs 25 s or uses 2 GiB is a finding too. ASan's and UBSan's reports end the run.
fuzz_options=(-max_len=4096 -timeout=25 -rss_limit_mb=2048 -print_final_stats=1)
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp}

die() {
  echo "fuzz.sh: $*" >&2
  exit 1
}

binary() { echo "$build/fuzz/fuzz_$1"; }

check_target() {
  local t
  for t in "${targets[@]}"; do [ "$t" = "$1" ] && return 0; done
  die "unknown target '$1' (targets: ${targets[*]})"
}

need_build() {
  local t
  for t in "${targets[@]}"; do
    [ -x "$(binary "$t")" ] || die "$(binary "$t") is missing: run scripts/fuzz.sh build"
  done
}

cmd_build() {
  local resource
  command -v clang-16 >/dev/null || die "clang-16 is missing (scripts/setup.sh installs it)"
  resource=$(clang-16 -print-resource-dir)
  [ -f "$resource/lib/linux/libclang_rt.fuzzer-x86_64.a" ] ||
    die "libFuzzer is missing: install Debian's libclang-rt-16-dev"
  mkdir -p "$build"
  # Only what fuzzing needs: no LLVM environment, tests or benchmarks, and only the target
  # cgym_fuzzers is built. -O1 with line tables only (as OSS-Fuzz builds): it compiles about
  # twice as fast as -O2 -g under the sanitizers, and stacks still have file:line.
  CC=clang-16 CXX=clang++-16 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Fuzz \
    -DCMAKE_C_FLAGS_FUZZ="-O1 -gline-tables-only" -DCMAKE_CXX_FLAGS_FUZZ="-O1 -gline-tables-only" \
    -DCGYM_FUZZ=ON -DCGYM_SANITIZE=ON -DCGYM_BUILD_LLVM=OFF -DCGYM_BUILD_BENCH=OFF \
    -DCGYM_BUILD_TESTS=OFF >"$build/configure.log" 2>&1 || {
    cat "$build/configure.log"
    exit 1
  }
  ninja -C "$build" -j "${CGYM_FUZZ_BUILD_JOBS:-2}" cgym_fuzzers
}

cmd_seeds() {
  [ -x "$build/fuzz/cgym_fuzz_make_corpus" ] || die "run scripts/fuzz.sh build first"
  "$build/fuzz/cgym_fuzz_make_corpus" fuzz/corpus
}

# fuzz_once TARGET SECONDS LOG: fuzzes TARGET for SECONDS from its corpus; new inputs go to
# OUT/corpus/TARGET (the repository's corpus is not changed), crashes to OUT/crashes/.
fuzz_once() {
  local t=$1 seconds=$2 log=$3
  mkdir -p "$out/corpus/$t" "$out/crashes"
  "$(binary "$t")" "${fuzz_options[@]}" -max_total_time="$seconds" \
    -artifact_prefix="$out/crashes/$t-" "$out/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1
}

# One line of figures from a libFuzzer log.
summarize() {
  local t=$1 log=$2 extra=${3:-}
  local runs execs cov ft corpus
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
  execs=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  corpus=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  echo "$t: runs=$runs exec/s=${execs:-?} cov=${cov:-?} ft=${ft:-?} corpus=${corpus:-?} $extra"
}

cmd_ci() {
  local seconds=${1:-60} t failed=()
  need_build
  mkdir -p "$out"
  # 1. Every corpus input, once: a corpus file that crashes is a regression.
  for t in "${targets[@]}"; do
    if ! "$(binary "$t")" "${fuzz_options[@]}" -runs=0 "fuzz/corpus/$t" >"$out/$t.replay.log" 2>&1
    then
      tail -n 60 "$out/$t.replay.log"
      die "$t: replaying fuzz/corpus/$t failed (log: $out/$t.replay.log)"
    fi
    echo "fuzz.sh: $t: corpus replayed ($(find "fuzz/corpus/$t" -type f | wc -l) inputs)"
  done
  # 2. Each target for $seconds, $jobs at a time; each writes its exit status to OUT/T.rc.
  for t in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    rm -f "$out/$t.rc"
    (
      rc=0
      fuzz_once "$t" "$seconds" "$out/$t.log" || rc=$?
      echo "$rc" >"$out/$t.rc"
    ) &
  done
  wait
  for t in "${targets[@]}"; do
    if [ "$(cat "$out/$t.rc" 2>/dev/null)" = 0 ]; then
      echo "fuzz.sh: $(summarize "$t" "$out/$t.log")"
    else
      failed+=("$t")
      tail -n 80 "$out/$t.log"
      echo "fuzz.sh: $t FAILED (log: $out/$t.log; crash inputs: $out/crashes/$t-*)"
    fi
  done
  ((${#failed[@]} == 0)) || die "crashes in: ${failed[*]}"
  echo "fuzz.sh: ${#targets[@]} targets, no crash"
}

# The CPU seconds used so far by this shell's finished children (the fuzzers it waited for).
children_cpu_seconds() {
  awk -v tck="$(getconf CLK_TCK)" '{printf "%d", ($16 + $17) / tck}' "/proc/$$/stat"
}

cmd_long() {
  local hours=${1:?usage: scripts/fuzz.sh long HOURS [TARGET...]} t budget cpu crashes log
  local before chunk wall_end runs
  shift
  (($# == 0)) || targets=("$@")
  for t in "${targets[@]}"; do check_target "$t"; done
  need_build
  budget=$(awk -v h="$hours" 'BEGIN {printf "%d", h * 3600}')
  ((budget > 0)) || die "HOURS must be positive"
  mkdir -p "$out"
  echo "long run of ${targets[*]}: ${hours} CPU hours each, started $(date -Is)" >>"$out/summary.txt"
  for t in "${targets[@]}"; do
    log=$out/$t.log
    : >"$log"
    cpu=0
    crashes=0
    # HOURS is CPU time, so that a busy machine (or nice 19) does not shorten the run; it is
    # fuzzed in chunks of at most 10 minutes until the fuzzer has used it, or after 10 times
    # as long on the clock. A crash ends a chunk early (its input is kept in crashes/).
    wall_end=$(($(date +%s) + 10 * budget))
    while ((cpu < budget && crashes < 20 && $(date +%s) < wall_end)); do
      chunk=$((budget - cpu < 600 ? budget - cpu : 600))
      before=$(children_cpu_seconds)
      if ! fuzz_once "$t" "$chunk" "$log.part"; then crashes=$((crashes + 1)); fi
      cat "$log.part" >>"$log"
      cpu=$((cpu + $(children_cpu_seconds) - before))
    done
    rm -f "$log.part"
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
    summarize "$t" "$log" "crashes=$crashes cpu_s=$cpu runs/cpu_s=$((runs / (cpu > 0 ? cpu : 1))) ended=$(date -Is)" |
      tee -a "$out/summary.txt"
  done
}

cmd_run() {
  local t=${1:?usage: scripts/fuzz.sh run TARGET [ARGS...]}
  shift
  check_target "$t"
  need_build
  mkdir -p "$out/corpus/$t" "$out/crashes"
  # With a file argument libFuzzer runs that input once (a reproducer) and takes no corpus.
  if (($# > 0)) && [ -f "${!#}" ]; then
    exec "$(binary "$t")" "${fuzz_options[@]}" "$@"
  fi
  exec "$(binary "$t")" "${fuzz_options[@]}" -artifact_prefix="$out/crashes/$t-" "$@" \
    "$out/corpus/$t" "fuzz/corpus/$t"
}

cmd_merge() {
  local t=${1:?usage: scripts/fuzz.sh merge TARGET DIR...}
  shift
  check_target "$t"
  need_build
  (($# > 0)) || die "usage: scripts/fuzz.sh merge TARGET DIR..."
  # Only inputs that reach new edges, as few as cover them (-use_counters=0: an input that only
  # runs an edge more often is not kept), so that the corpus stays small.
  "$(binary "$t")" "${fuzz_options[@]}" -set_cover_merge=1 -use_counters=0 "fuzz/corpus/$t" "$@"
}

case ${1:-} in
  build) cmd_build ;;
  seeds) cmd_seeds ;;
  ci) cmd_ci "${@:2}" ;;
  long) cmd_long "${@:2}" ;;
  run) cmd_run "${@:2}" ;;
  merge) cmd_merge "${@:2}" ;;
  list) printf '%s\n' "${targets[@]}" ;;
  *) sed -n '3,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
