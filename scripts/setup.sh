#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs everything libcgym needs to build and test, on Debian 12 (bookworm): Debian's
# packages for the native toolchain and libraries, and Python virtual environments (under
# build/) for the Python tests. Safe to run again: it installs only what is missing.
#   --bench: also the venv of the Python benchmark (build/venv-bench, for scripts/bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# What each package is for is listed in README.md ("Dependencies").
APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config clang-format binutils
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libspdlog-dev libcli11-dev
  libgtest-dev libgmock-dev libcmocka-dev libbenchmark-dev
  nlohmann-json3-dev
  swig python3-venv python3-dev
  doxygen
  llvm-16-dev llvm-16 clang-16 csmith libcsmith-dev
  libclang-rt-16-dev openssl
  libtinfo5
  dpkg-dev file
)

# The Rust and Java bindings' toolchains: the machines this project runs on come with rustup's
# cargo, OpenJDK 17 and Maven; where one is missing, Debian's packages stand in.
command -v cargo >/dev/null || APT_PACKAGES+=(cargo)
# The Rust linters (scripts/lint.sh rust): rustup's components where present, else Debian's.
command -v rustfmt >/dev/null || APT_PACKAGES+=(rustfmt)
command -v cargo-clippy >/dev/null || APT_PACKAGES+=(rust-clippy)
command -v javac >/dev/null || APT_PACKAGES+=(default-jdk-headless)
command -v mvn >/dev/null || APT_PACKAGES+=(maven)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
make_venv() {  # make_venv DIR REQUIREMENTS [NO-DEPS REQUIREMENTS]
  local dir=$1 stamp=$1/.installed
  local want
  want=$(cat "${@:2}" | sha256sum)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  echo "setup: creating $dir"
  rm -rf "$dir"
  "$PYTHON" -m venv "$dir"
  "$dir/bin/pip" install -q --disable-pip-version-check -r "$2"
  if [ $# -ge 3 ]; then
    "$dir/bin/pip" install -q --disable-pip-version-check --no-deps -r "$3"
  fi
  echo "$want" >"$stamp"
}

mkdir -p build
make_venv build/venv-test tests/python/requirements.txt
# The Python binding's build backend and test dependencies (bindings/python).
make_venv build/venv-python bindings/python/requirements-test.txt
# The same for the Python benchmark, whose binding is built against build/bench-release.
if [ "${1:-}" = "--bench" ]; then
  make_venv build/venv-bench bindings/python/requirements-test.txt
fi
# CompilerGym's own published client, to check that it drives our services. Its pinned
# dependencies cannot be installed on Python 3.11, so compiler_gym itself goes in without
# them (see the header of tests/python/compiler_gym_requirements.txt).
make_venv build/venv-compiler-gym tests/python/compiler_gym_requirements.txt \
  tests/python/compiler_gym_nodeps.txt
