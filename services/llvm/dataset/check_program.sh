#!/bin/sh
# SPDX-License-Identifier: MIT
# Compiles one dataset program with the given clang at -O0 and at -Oz, runs each binary and
# compares its stdout with the expected output.
# Usage: check_program.sh CLANG SOURCE EXPECTED WORKDIR [BUILD_FLAGS...] [-- RUN_ARGS...]
set -eu
clang=$1 source=$2 expected=$3 work=$4
shift 4
flags=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do flags="$flags $1"; shift; done
[ $# -gt 0 ] && shift # the "--"
mkdir -p "$work"
name=$(basename "$source" .c)
status=0
for level in -O0 -Oz; do
  exe="$work/$name$level"
  # -ffp-contract=off: no fused multiply-add, so floating point output is the same at every level.
  # shellcheck disable=SC2086
  if ! "$clang" -std=c99 $level -ffp-contract=off -o "$exe" "$source" $flags; then
    echo "FAIL $name $level: compile error"; status=1; continue
  fi
  if ! "$exe" "$@" >"$exe.out"; then
    echo "FAIL $name $level: non-zero exit"; status=1; continue
  fi
  if cmp -s "$exe.out" "$expected"; then
    echo "ok   $name $level"
  else
    echo "FAIL $name $level: stdout differs from $expected"
    diff "$expected" "$exe.out" | head -20 || true
    status=1
  fi
done
exit $status
