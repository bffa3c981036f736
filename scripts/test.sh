#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds libcgym and runs every test suite: C (cmocka) and C++ (googletest) through ctest,
# the same C and C++ tests again under AddressSanitizer and UndefinedBehaviorSanitizer and
# under ThreadSanitizer, the libFuzzer targets on their corpora and briefly, the Python suites
# (service lifecycle, wire protocol, attacks on the service, CompilerGym's own client, the
# binding, installed with pip as a user does), the Rust (cargo test) and Java (JUnit through
# Maven) bindings' suites, and each package installed and its quick start run from outside the
# source tree (tests/packaging/: needs root, for the .debs and /usr/local).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/setup.sh
mkdir -p build

echo "== build (RelWithDebInfo)"
scripts/build.sh build/release
echo "== build (ASan + UBSan)"
scripts/build.sh build/asan -DCGYM_SANITIZE=ON -DCGYM_BUILD_BENCH=OFF
echo "== build (ThreadSanitizer)"
# gRPC linked shared everywhere, so that TSan can tell its (uninstrumented) code from ours. The
# LLVM environment is left out: its sessions are single-threaded, and Debian's LLVM is not
# instrumented either, so TSan would only add build time there.
scripts/build.sh build/tsan -DCGYM_SANITIZE=thread -DCGYM_BUILD_BENCH=OFF \
  -DCGYM_STATIC_GRPC_SERVICES=OFF -DCGYM_BUILD_LLVM=OFF

echo "== build (libFuzzer targets: clang-16, ASan + UBSan)"
bash scripts/fuzz.sh build

status=0
run() {  # run NAME COMMAND...: runs a suite, remembers a failure, goes on with the others
  echo "== $1"
  shift
  if ! "$@"; then
    echo "== FAILED: $*"
    status=1
  fi
}

# Static checks (scripts/lint.sh): formatters and linters of each language, include layers,
# binding parity, one version, the C API reference without Doxygen warnings.
for check in format python rust layers parity versions apidocs readme; do
  run "Lint: $check" bash scripts/lint.sh "$check"
done

export CGYM_EXAMPLE_SERVICE=$root/build/release/services/example_cc/cgym-example-service-cc
export CGYM_EXAMPLE_SERVICE_C=$root/build/release/services/example/cgym-example-service
export CGYM_EXAMPLE_PLUGIN=$root/build/release/services/example/libcgym-example-plugin.so
export CGYM_LLVM_SERVICE=$root/build/release/services/llvm/cgym-llvm-service
export CGYM_LLVM_PLUGIN=$root/build/release/services/llvm/libcgym-llvm.so
run "C and C++ tests" ctest --test-dir build/release -j2 --output-on-failure --timeout 300
run "C and C++ tests under ASan+UBSan" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
  LSAN_OPTIONS=suppressions=$root/tests/lsan.supp \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan -j2 --output-on-failure --timeout 600
# See tests/tsan.supp for what is left out of TSan's view (only gRPC's, protobuf's and
# Abseil's own code) and why. die_after_fork=0: a forked child may start threads, which the
# client supports (ChildProcessTest.AForkedProcessDoesNotOwnTheChildrenButCanSpawn).
tsan_options=halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1
tsan_options+=:die_after_fork=0
run "C and C++ tests under TSan" env \
  TSAN_OPTIONS="$tsan_options:suppressions=$root/tests/tsan.supp" \
  ctest --test-dir build/tsan -j2 --output-on-failure --timeout 600
# Every fuzzer's corpus replayed, then each fuzzed for 60 s (scripts/fuzz.sh long fuzzes for
# hours; fuzz/README.md).
run "Fuzzing: corpora and 60 s per target" bash scripts/fuzz.sh ci 60
run "Python: lifecycle and protocol" build/venv-test/bin/python -m pytest -p no:cacheprovider \
  tests/python --ignore=tests/python/test_compiler_gym_client.py \
  --ignore=tests/python/test_compiler_gym_llvm.py
run "Python: CompilerGym 0.2.5's own client" build/venv-compiler-gym/bin/python -m pytest \
  -p no:cacheprovider tests/python/test_compiler_gym_client.py tests/python/test_compiler_gym_llvm.py

# The Python package as a user installs it (pip install in a fresh venv outside the source tree;
# auditwheel; the quick start; then the binding's suite against it), then the same build (one
# CMake build directory) installed into build/venv-python for the benchmark and the checks below.
run "Packages: Python (pip install in a fresh venv, auditwheel, quick start, the binding's tests)" \
  env SKBUILD_BUILD_DIR="$root/build/python-wheel/{wheel_tag}" bash tests/packaging/python.sh
run "Python binding: install" scripts/install-python-binding.sh
# The Python benchmark, briefly (no targets checked), so that it keeps running.
run "Python benchmark smoke" env GRPC_VERBOSITY=NONE build/venv-python/bin/python \
  bench/bench_python.py --build-dir build/release --smoke
# Scale-out of the LLVM search (2 workers vs 1, Ray vs local), briefly: 2 programs x 1 s.
run "Scale-out benchmark smoke" build/venv-python/bin/python bench/bench_scale.py --smoke

run "Rust binding" env CARGO_TARGET_DIR="$root/build/rust-target" \
  CGYM_LIBRARY_DIR="$root/build/release" cargo test -q -j2 --manifest-path bindings/rust/Cargo.toml
run "Java binding" env CGYM_LIBRARY_DIR="$root/build/release" bash bindings/java/build.sh test
# The same LLVM episode in C, C++, Python, Rust and Java: the same rewards, bit for bit.
run "Rewards across languages" bash scripts/check-rewards-across-languages.sh

# The packages, as README.md ("Install") shows them, from directories outside the source tree
# (tests/packaging/). The C and C++ packages first: they leave libcgym installed in /usr/local.
run "Packages: C and C++ (cmake --install, pkg-config, CMake, .deb)" bash tests/packaging/c.sh
run "Packages: Rust (cgym-sys through pkg-config, bindgen check)" bash tests/packaging/rust.sh
run "Packages: Java (mvn install, a separate Maven project)" bash tests/packaging/java.sh

if [ $status -eq 0 ]; then echo "== all test suites passed"; else echo "== some test suites FAILED"; fi
exit $status
