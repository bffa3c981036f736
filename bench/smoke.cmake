# SPDX-License-Identifier: MIT
# bench.smoke: every benchmark program runs briefly and exits 0 (no targets are checked).
foreach(cmd
    "${SIZES}"
    "${BENCH};--benchmark_min_time=0.001"
    "${RSS};${SERVICE};--steps;200;--sessions;1,5"
    "${VECTOR_RSS};${SERVICE};--example-envs;10;--steps;20;--every;10;--llvm-envs;0")
  execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${cmd} failed (${rc}):\n${out}\n${err}")
  endif()
endforeach()
message(STATUS "bench smoke: ok")
