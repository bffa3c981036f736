# SPDX-License-Identifier: MIT
# Fails if the shared library ${LIB} defines a dynamic symbol (besides the linker's own) that
# does not match ${ALLOWED} (a regular expression; default: cgym_*, libcgym.so's rule), or
# none that does. Session plugins pass their entry point's name.
if(NOT DEFINED ALLOWED)
  set(ALLOWED "^cgym_")
endif()
execute_process(COMMAND nm -D --defined-only ${LIB} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIB}")
endif()
string(REPLACE "\n" ";" lines "${out}")
set(bad "")
set(good 0)
foreach(line IN LISTS lines)
  # Symbols of local binding (lower-case types but u, v, w; sanitizer builds list some, e.g.
  # typeinfo names) are not exported: no other object can bind to them.
  if(line MATCHES "^[0-9a-fA-F]+ [A-Zuvw] (.+)$")
    set(sym "${CMAKE_MATCH_1}")
    if(sym MATCHES "${ALLOWED}")
      math(EXPR good "${good} + 1")
    elseif(NOT sym MATCHES "^(_init|_fini|_edata|_end|__bss_start)$")
      list(APPEND bad "${sym}")
    endif()
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "${LIB} exports symbols that do not match ${ALLOWED}: ${bad}")
endif()
if(good EQUAL 0)
  message(FATAL_ERROR "${LIB} exports no symbol matching ${ALLOWED}")
endif()
message(STATUS "${LIB} exports ${good} symbols, all matching ${ALLOWED}")
