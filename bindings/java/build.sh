#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Builds (and tests) the Java binding. Outputs go to build/java only:
#   build/java/native/libcgym_jni.so   the JNI layer (gcc, linked against libcgym.so)
#   build/java/maven/                  Maven's target directory (classes, jar, test reports)
#
# Usage: bash bindings/java/build.sh [build|test|package|clean]   (default: build)
#        bash bindings/java/build.sh run MAIN_CLASS [ARGS...]
#   build    the JNI library and the compiled classes
#   test     build, then run the JUnit 5 suite (needs CGYM_EXAMPLE_SERVICE_C)
#   package  build the jar (build/java/maven/libcgym-java-<version>.jar), without tests
#   run      build what changed, then run MAIN_CLASS (e.g. org.libcgym.examples.LlvmSearch)
#            with the classes and libcgym_jni.so; the build's output goes to stderr, so
#            stdout is the program's alone
#   clean    remove build/java
#
# Environment:
#   CGYM_LIBRARY_DIR         directory of libcgym.so (default: build/release)
#   CGYM_JAVA_BUILD_DIR      output directory (default: build/java)
#   CGYM_EXAMPLE_SERVICE_C   the C example service binary, for the tests
#   JAVA_HOME                the JDK (default: found from javac)
#   MAVEN_ARGS_EXTRA         extra arguments for mvn (e.g. -o)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
goal="${1:-build}"
if [[ "$goal" == run ]]; then
  if (($# < 2)); then
    echo "usage: build.sh run MAIN_CLASS [ARGS...]" >&2
    exit 2
  fi
  main_class="$2"
  shift 2
  run_args=("$@")
fi

libdir="${CGYM_LIBRARY_DIR:-$root/build/release}"
libdir="$(cd "$libdir" && pwd)"
out="${CGYM_JAVA_BUILD_DIR:-$root/build/java}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

if [[ "$goal" == clean ]]; then
  rm -rf "$out"
  exit 0
fi

if [[ ! -e "$libdir/libcgym.so" ]]; then
  echo "build.sh: no libcgym.so in $libdir (set CGYM_LIBRARY_DIR, or run scripts/build.sh)" >&2
  exit 1
fi

if [[ -z "${JAVA_HOME:-}" ]]; then
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
  export JAVA_HOME
fi

# 1. The JNI layer: hand-written C (src/main/c/*.c), warnings are errors.
mkdir -p "$out/native"
jni_sources=("$here"/src/main/c/*.c)
jni_lib="$out/native/libcgym_jni.so"
rebuild=0
[[ -e "$jni_lib" ]] || rebuild=1
for input in "${jni_sources[@]}" "$here"/src/main/c/*.h "$root/include/cgym.h" "$libdir/libcgym.so"; do
  [[ "$input" -nt "$jni_lib" ]] && rebuild=1
done
if [[ $rebuild == 1 ]]; then
  # stdout stays the program's for `run`.
  gcc -std=c99 -D_POSIX_C_SOURCE=200809L -O2 -g -fPIC -shared \
    -Wall -Wextra -Werror -fvisibility=hidden \
    -I"$root/include" -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux" \
    "${jni_sources[@]}" -o "$jni_lib.tmp" \
    -L"$libdir" -lcgym -Wl,-rpath,"$libdir" -Wl,--no-undefined -lpthread -lm >&2
  mv "$jni_lib.tmp" "$jni_lib"
fi

# 2. The Java classes (and the tests), with Maven.
mvn_args=(-B -q -Dstyle.color=never -f "$here/pom.xml" "-DbuildDir=$out/maven" "-Dcgym.native.dir=$out/native"
          "-Dcgym.library.dir=$libdir" ${MAVEN_ARGS_EXTRA:-})
classes="$out/maven/classes"
stamp="$out/maven/.classes-built"
case "$goal" in
  build) mvn "${mvn_args[@]}" test-compile && touch "$stamp" ;;
  package) mvn "${mvn_args[@]}" -DskipTests package && touch "$stamp" ;;
  run)
    # Maven only when a main source (or the pom) changed since the last build.
    if [[ ! -e "$stamp" || -n "$(find "$here/src/main/java" "$here/pom.xml" -newer "$stamp" \
        -print -quit)" ]]; then
      mvn "${mvn_args[@]}" compile >&2
      touch "$stamp"
    fi
    exec "$JAVA_HOME/bin/java" -cp "$classes" -Djava.library.path="$out/native" "$main_class" \
      ${run_args[@]+"${run_args[@]}"}
    ;;
  test)
    if [[ -z "${CGYM_EXAMPLE_SERVICE_C:-}" ]]; then
      echo "build.sh: set CGYM_EXAMPLE_SERVICE_C to the C example service binary" >&2
      exit 1
    fi
    export CGYM_EXAMPLE_SERVICE_C
    mvn "${mvn_args[@]}" test
    ;;
  *) echo "usage: build.sh [build|test|package|clean] | run MAIN_CLASS [ARGS...]" >&2; exit 2 ;;
esac
