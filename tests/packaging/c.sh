#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The C and C++ packages, as README.md ("Install") says, from a directory outside the source
# tree: the Debian packages (cpack) installed with apt and removed again, then `cmake --install`
# into /usr/local. Each time README's quick start (tests/packaging/quickstart.c) is built with
# pkg-config and with CMake (find_package(cgym)) and runs an LLVM episode with no CGYM_*
# variable set, so that libcgym finds the installed service and dataset by itself.
# Needs root (it installs into /usr and /usr/local) and the build in build/release, as README's
# commands do. Usage: tests/packaging/c.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/packaging/lib.sh
build=$repo/build/release
work=$(mktemp -d /tmp/cgym-package-c.XXXXXX)
trap 'rm -rf "$work"' EXIT
clean_environment

# Builds the quick start with pkg-config and with CMake in $work/$1 and runs both.
check_quickstart() {
  local where=$work/$1
  mkdir -p "$where"
  cp tests/packaging/quickstart.c tests/packaging/CMakeLists.txt "$where/"
  (
    cd "$where"
    [[ $(pkg-config --modversion cgym) == "$version" ]] || fail "pkg-config: not $version"
    # (Called as `check_quickstart || ...`, where bash ignores set -e: each step says so itself.)
    cc -std=c99 -Wall -Wextra -Werror -o quickstart-pc quickstart.c \
      $(pkg-config --cflags --libs cgym) || fail "the quick start does not build with pkg-config"
    cmake -S . -B cmake-build -G Ninja >cmake.log 2>&1 ||
      fail "find_package(cgym) failed: $(cat cmake.log)"
    cmake --build cmake-build >>cmake.log 2>&1 || fail "the CMake build failed: $(cat cmake.log)"
    for program in ./quickstart-pc cmake-build/quickstart; do
      hidden "$program" >out.txt || fail "$program failed: $(cat out.txt)"
      cat out.txt
      [[ $(grep -c '^-[a-z0-9-]*: reward ' out.txt) == 5 ]] || fail "$program: not 5 steps"
    done
    # The package's version file: an incompatible version is refused.
    cat >CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(too_new C)
find_package(cgym 99 REQUIRED)
CMAKE
    if cmake -S . -B too-new -G Ninja >too-new.log 2>&1; then fail "find_package(cgym 99) passed"; fi
    grep -q "not compatible\|version" too-new.log || fail "no version error: $(cat too-new.log)"
  )
}

echo "== Debian packages (cpack)"
rm -f build/release/libcgym*.deb  # a single version for README's globs
# README's commands, verbatim (as root):
(cd build/release && cpack -G DEB)
runtime=$build/libcgym1_${version}_amd64.deb
dev=$build/libcgym-dev_${version}_amd64.deb
[[ -f $runtime && -f $dev ]] || fail "no packages: $(ls "$build"/*.deb)"
dpkg-deb -f "$runtime" Package Version Depends Recommends
dpkg-deb -f "$dev" Package Depends
[[ $(dpkg-deb -f "$runtime" Version) == "$version" ]] || fail "libcgym1's version is not $version"
dpkg-deb -f "$runtime" Depends | grep -q libllvm16 || fail "libcgym1 does not depend on libllvm16"
dpkg-deb -f "$dev" Depends | grep -q "libcgym1 (= $version)" || fail "libcgym-dev's Depends"
dpkg-deb -c "$runtime" >"$work/runtime.txt"
dpkg-deb -c "$dev" >"$work/dev.txt"
for file in ./usr/lib/libcgym.so.1 ./usr/libexec/cgym/cgym-llvm-service \
  ./usr/libexec/cgym/libcgym-llvm.so ./usr/share/cgym/llvm/dataset/manifest.json; do
  grep -q " $file" "$work/runtime.txt" || fail "$file is not in libcgym1"
done
for file in ./usr/include/cgym.h ./usr/lib/libcgym.so ./usr/lib/pkgconfig/cgym.pc \
  ./usr/lib/cmake/cgym/cgymConfig.cmake; do
  grep -q " $file" "$work/dev.txt" || fail "$file is not in libcgym-dev"
done
# An earlier `cmake --install` (of this tree or another) would stand before the packages'
# files (/usr/local comes first for pkg-config, CMake and the loader): removed, by the layout.
rm -rf /usr/local/include/cgym.h /usr/local/lib/libcgym.so* /usr/local/lib/pkgconfig/cgym.pc \
  /usr/local/lib/cmake/cgym /usr/local/libexec/cgym /usr/local/share/cgym
ldconfig
export DEBIAN_FRONTEND=noninteractive
apt-get install -y ./build/release/libcgym1_*.deb ./build/release/libcgym-dev_*.deb
status=0
check_quickstart deb || status=1
apt-get remove -y -q libcgym-dev libcgym1 >/dev/null 2>&1
[[ $status == 0 ]] || fail "the quick start failed on the Debian packages"

echo "== cmake --install (prefix /usr/local)"
# README's commands, verbatim (as root):
cmake --install build/release
ldconfig
check_quickstart prefix
echo "== C and C++ packages: OK ($version)"
