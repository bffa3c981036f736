#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Builds (and tests) the Java binding. Outputs go to build/java only:
#   build/java/native/libcgym_jni.so   the JNI layer (gcc, linked against libcgym.so)
#   build/java/maven/                  Maven's target directory (classes, test reports)
#   build/java/bundle/                 package, install: the natives the jar carries
#   build/java/dist/                   package, install: Maven's target directory for the jar
#
# Usage: bash bindings/java/build.sh [build|test|package|install|clean]   (default: build)
#        bash bindings/java/build.sh run MAIN_CLASS [ARGS...]
#   build    the JNI library and the compiled classes
#   test     build, then run the JUnit 5 suite (needs CGYM_EXAMPLE_SERVICE_C)
#   package  the jar build/java/dist/libcgym-java-<version>.jar, without tests: the classes and,
#            under org/libcgym/native/linux-x86_64/, libcgym.so.1, libcgym_jni.so (rpath
#            $ORIGIN), the LLVM service, plugin and dataset, stripped of debug info
#   install  package, then `mvn install` it into the local Maven repository (~/.m2)
#   run      build what changed, then run MAIN_CLASS (e.g. org.libcgym.examples.LlvmSearch)
#            with the classes and libcgym_jni.so; the build's output goes to stderr, so
#            stdout is the program's alone
#   clean    remove build/java
#
# Environment:
#   CGYM_LIBRARY_DIR         directory of libcgym.so (default: build/release)
#   CGYM_JAVA_BUILD_DIR      output directory (default: build/java)
#   CGYM_EXAMPLE_SERVICE_C   the C example service binary, for the tests
#   CGYM_LLVM_SERVICE, CGYM_LLVM_PLUGIN, CGYM_LLVM_DATASET   what package and install put in
#                            the jar (default: found as libcgym finds them, from
#                            CGYM_LIBRARY_DIR; the dataset from the source tree)
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

# Stages in $out/bundle what the jar carries, as NativeLoader extracts it: the tree of an
# installed libcgym (lib/, libexec/cgym/, share/cgym/llvm/dataset/) and files.txt, its index.
stage_bundle() {
  local platform=linux-x86_64
  local dest="$out/bundle/org/libcgym/native/$platform"
  local version
  version=$(sed -n 's/^#define CGYM_VERSION_\(MAJOR\|MINOR\|PATCH\) \+\([0-9]\+\)$/\2/p' \
    "$root/include/cgym.h" | paste -sd.)
  # The LLVM service and plugin where libcgym looks for them (environments.cc).
  find_llvm() {
    local name=$1 override=$2 dir
    if [[ -n "$override" ]]; then echo "$override"; return; fi
    for dir in "$libdir" "$libdir/services/llvm" "$libdir/../libexec/cgym" "$libdir/cgym"; do
      if [[ -f "$dir/$name" ]]; then echo "$dir/$name"; return; fi
    done
    echo "build.sh: no $name next to $libdir (build the LLVM service, or set the variable)" >&2
    return 1
  }
  local service plugin dataset
  service=$(find_llvm cgym-llvm-service "${CGYM_LLVM_SERVICE:-}")
  plugin=$(find_llvm libcgym-llvm.so "${CGYM_LLVM_PLUGIN:-}")
  dataset="${CGYM_LLVM_DATASET:-}"
  if [[ -z "$dataset" ]]; then
    dataset="$root/services/llvm/dataset"
    [[ -f "$libdir/../share/cgym/llvm/dataset/manifest.json" ]] &&
      dataset="$libdir/../share/cgym/llvm/dataset"
  fi
  [[ -f "$dataset/manifest.json" && -d "$dataset/programs" ]] || {
    echo "build.sh: no LLVM dataset (manifest.json, programs/) in $dataset" >&2; return 1; }

  rm -rf "$out/bundle"
  mkdir -p "$dest/lib" "$dest/libexec/cgym" "$dest/share/cgym/llvm/dataset"
  # The JNI library again, finding libcgym.so.1 beside itself rather than in this build tree.
  gcc -std=c99 -D_POSIX_C_SOURCE=200809L -O2 -fPIC -shared \
    -Wall -Wextra -Werror -fvisibility=hidden \
    -I"$root/include" -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux" \
    "${jni_sources[@]}" -o "$dest/lib/libcgym_jni.so" \
    -L"$libdir" -lcgym -Wl,-rpath,'$ORIGIN' -Wl,--no-undefined -lpthread -lm
  # Debug info is most of each binary's size; symbols stay for backtraces.
  objcopy --strip-debug "$libdir/libcgym.so.1" "$dest/lib/libcgym.so.1"
  objcopy --strip-debug "$service" "$dest/libexec/cgym/cgym-llvm-service"
  objcopy --strip-debug "$plugin" "$dest/libexec/cgym/libcgym-llvm.so"
  chmod 755 "$dest"/lib/* "$dest"/libexec/cgym/*
  cp "$dataset/manifest.json" "$dest/share/cgym/llvm/dataset/"
  cp -R "$dataset/programs" "$dest/share/cgym/llvm/dataset/"
  chmod -R u+rwX,go+rX,go-w "$dest/share"

  local file sum size x
  {
    echo "libcgym-java-natives 1"
    echo "version $version"
    echo "platform $platform"
    (cd "$dest" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) | while read -r file; do
      sum=$(sha256sum "$dest/$file" | cut -d' ' -f1)
      size=$(stat -c %s "$dest/$file")
      x=-
      [[ -x "$dest/$file" ]] && x=x
      echo "file $sum $size $x $file"
    done
  } >"$out/bundle/files.txt"
  mv "$out/bundle/files.txt" "$dest/files.txt"
}

# 2. The Java classes (and the tests), with Maven.
mvn_args=(-B -q -Dstyle.color=never -f "$here/pom.xml" "-DbuildDir=$out/maven" "-Dcgym.native.dir=$out/native"
          "-Dcgym.library.dir=$libdir" ${MAVEN_ARGS_EXTRA:-})
classes="$out/maven/classes"
stamp="$out/maven/.classes-built"
case "$goal" in
  build) mvn "${mvn_args[@]}" test-compile && touch "$stamp" ;;
  package|install)
    stage_bundle
    # A build directory of its own: the development classes never carry the natives.
    mvn -B -q -Dstyle.color=never -f "$here/pom.xml" "-DbuildDir=$out/dist" \
      "-Dcgym.bundle.dir=$out/bundle" -DskipTests ${MAVEN_ARGS_EXTRA:-} "$goal"
    ls -l "$out"/dist/libcgym-java-*.jar
    ;;
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
  *) echo "usage: build.sh [build|test|package|install|clean] | run MAIN_CLASS [ARGS...]" >&2
     exit 2 ;;
esac
