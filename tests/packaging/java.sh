#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Java package, as bindings/java/README.md ("Install") says: `build.sh install` puts
# org.libcgym:libcgym-java into the local Maven repository (~/.m2, as for a user: the plugins
# it has downloaded already are reused), then a copy of tests/packaging/java-quickstart (its
# pom depends on the artifact) runs README's quick start with `mvn -q compile exec:java` from a
# directory outside the source tree, with no CGYM_* variable, LD_LIBRARY_PATH or
# java.library.path: the jar extracts its natives (libcgym, the JNI layer, the LLVM service,
# plugin and dataset) into $XDG_CACHE_HOME/libcgym-java, here a temporary directory. Checks
# that this directory is private (mode 0700) and that a second run reuses what the first
# extracted. Prints the time of both runs.
# Needs the build in build/release (CGYM_LIBRARY_DIR overrides it, CGYM_JAVA_BUILD_DIR the
# build directory of build.sh). Usage: tests/packaging/java.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/packaging/lib.sh
work=$(mktemp -d /tmp/cgym-package-java.XXXXXX)
trap 'rm -rf "$work"' EXIT
template=tests/packaging/java-quickstart

# What a user copies must depend on the version installed.
grep -q "<version>$version</version>" "$template/pom.xml" ||
  fail "$template/pom.xml does not depend on libcgym-java $version (include/cgym.h)"

echo "== bash bindings/java/build.sh install"
bash bindings/java/build.sh install
jar=$HOME/.m2/repository/org/libcgym/libcgym-java/$version/libcgym-java-$version.jar
[[ -f $jar ]] || fail "not installed: $jar"
jar tf "$jar" | grep -x "org/libcgym/native/linux-x86_64/lib/libcgym_jni.so" >/dev/null ||
  fail "$jar carries no libcgym_jni.so"

# README's commands, in a clean directory, with nothing pointing at the build.
clean_environment
cp -R "$template" "$work/quickstart"
export XDG_CACHE_HOME=$work/cache
cache=$XDG_CACHE_HOME/libcgym-java

# Runs the quick start; checks its four lines.
run_quickstart() {
  local start end
  start=$(date +%s.%N)
  (cd "$work/quickstart" && hidden mvn -q compile exec:java) >"$work/out.txt" 2>&1 ||
    fail "the quick start failed: $(cat "$work/out.txt")"
  end=$(date +%s.%N)
  sed 's/\x1b\[[0-9;]*m//g' "$work/out.txt"  # without Maven's colour codes
  [[ $(grep -cE '^-[a-z0-9-]+ -?[0-9.E-]+$' "$work/out.txt") == 4 ]] ||
    fail "not 4 steps with a reward"
  echo "($1 run: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s, Maven included)"
}

echo "== mvn -q compile exec:java (first run: extracts)"
run_quickstart first
[[ $(stat -c %a "$cache") == 700 ]] || fail "$cache is mode $(stat -c %a "$cache"), not 700"
trees=("$cache"/*)
[[ ${#trees[@]} == 1 && ${trees[0]} == "$cache/$version-"* ]] ||
  fail "not one tree $version-<hash> in $cache: ${trees[*]}"
tree=${trees[0]}
[[ $(stat -c %a "$tree") == 700 ]] || fail "$tree is mode $(stat -c %a "$tree"), not 700"
[[ -x $tree/libexec/cgym/cgym-llvm-service ]] || fail "the service is not executable"
before=$(stat -c %i "$tree/lib/libcgym.so.1")

echo "== mvn -q compile exec:java (second run: reuses)"
run_quickstart second
[[ $(ls -A "$cache") == "$(basename "$tree")" ]] || fail "$cache: $(ls -A "$cache")"
[[ $(stat -c %i "$tree/lib/libcgym.so.1") == "$before" ]] || fail "extracted again"
echo "java.sh: passed"
