#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Python package, as README.md ("Install") says: in a fresh virtual environment in a
# directory outside the source tree, `pip install ./bindings/python` (with pip's build
# isolation: it fetches the pinned scikit-build-core) builds the wheel with libcgym, the LLVM
# service, its plugin and the dataset inside and installs it; then
#  - `auditwheel show` on that wheel (built again from the same CMake build, as pip install
#    keeps none): the platform tag it reaches and the system libraries it needs (Debian's gRPC,
#    protobuf, LLVM 16...), failing if one is not found;
#  - `import cgym` is the installed package, of include/cgym.h's version, and it loads its own
#    libcgym (not the one tests/packaging/c.sh leaves in /usr/local);
#  - README's quick start (tests/packaging/quickstart.py) with no CGYM_* variable set and the
#    source tree hidden, so that it runs on the wheel's own service, plugin and dataset;
#  - the binding's test suite against the installed package, from that directory, with the
#    LLVM environment the package finds itself (only the example services, which are not part
#    of the package, come from build/release, as in scripts/test.sh).
# Needs scripts/setup.sh, the build in build/release (its example services) and PyPI.
# CMake's build directory is temporary unless SKBUILD_BUILD_DIR names one (scikit-build-core
# reads it): scripts/test.sh gives build/python-wheel/{wheel_tag}, the one that
# scripts/install-python-binding.sh reuses, so that the C++ build is paid once.
#   Usage: tests/packaging/python.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/packaging/lib.sh
build=$repo/build/release
work=$(mktemp -d /tmp/cgym-package-python.XXXXXX)
trap 'rm -rf "$work"' EXIT
clean_environment
# Two compile jobs (the project's machines have two cores), and one CMake build for both pip
# commands below.
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
export SKBUILD_BUILD_DIR=${SKBUILD_BUILD_DIR:-$work/cmake-build}

echo "== a fresh venv with the binding's pinned test requirements ($work/venv)"
python3 -m venv "$work/venv"
# shellcheck disable=SC1091
source "$work/venv/bin/activate"
pip install -q --disable-pip-version-check -r bindings/python/requirements-test.txt

echo "== pip install ./bindings/python"
start=$(date +%s)
# README's command, verbatim (from the repository's root, in the venv):
pip install ./bindings/python
echo "python.sh: pip install took $(($(date +%s) - start)) s"

echo "== auditwheel show"
pip wheel -q --disable-pip-version-check --no-build-isolation --no-deps -w "$work/dist" \
  ./bindings/python
wheel=$(echo "$work"/dist/cgym-"$version"-*.whl)
[[ -f $wheel ]] || fail "no wheel of version $version in $work/dist: $(ls "$work/dist")"
python -m zipfile -l "$wheel" >"$work/wheel.txt"
for file in cgym/_cgym.py cgym/lib/libcgym.so.1 cgym/libexec/cgym/cgym-llvm-service \
  cgym/libexec/cgym/libcgym-llvm.so cgym/share/cgym/llvm/dataset/manifest.json; do
  grep -q "^$file " "$work/wheel.txt" || fail "$file is not in the wheel"
done
grep -q '^cgym/__cgym\.cpython-.*\.so ' "$work/wheel.txt" || fail "no extension in the wheel"
# Built on Debian 12 against Debian's shared gRPC, protobuf, Abseil, spdlog, fmt and LLVM 16,
# the wheel reaches no manylinux tag (no policy has those libraries): auditwheel says which
# tag it is consistent with and which symbol versions it needs; the summary lists the system
# libraries it loads, with their own dependencies.
auditwheel show "$wheel"
auditwheel show --json "$wheel" >"$work/auditwheel.json"
python - "$work/auditwheel.json" <<'PY'
import json
import sys

report = json.load(open(sys.argv[1]))
print(f"platform tag: {report['overall_tag']} (its symbol versions alone: {report['sym_tag']})")
libraries = report["external_libs"]
print(f"{len(libraries)} system libraries outside the manylinux policies:", *sorted(libraries))
missing = sorted(name for name, path in libraries.items() if not path)
if missing:
    sys.exit(f"python.sh: system libraries not found: {missing}")
PY
echo "python.sh: wheel $(basename "$wheel"), $(du -k "$wheel" | cut -f1) KiB"

cd "$work"
echo "== the installed package"
# Its location and version three ways (the distribution's, the header it was built against,
# the loaded libcgym's), and the libcgym it loaded.
python -c 'import importlib.metadata as m, cgym
print(cgym.__file__, m.version("cgym"), cgym.__version__, cgym.version())
print(*sorted({line.split()[-1] for line in open("/proc/self/maps") if "libcgym" in line}))' |
  tee where.txt
site=$(python -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
[[ $(head -1 where.txt) == "$site/cgym/__init__.py $version $version $version" ]] ||
  fail "import cgym is not the installed package $version"
[[ $(tail -1 where.txt) == "$site/cgym/lib/libcgym.so.1" ]] || fail "not the package's libcgym"
cgym --help >/dev/null || fail "the cgym command does not run"

echo "== the quick start (tests/packaging/quickstart.py), with the source tree hidden"
cp "$repo/tests/packaging/quickstart.py" .
hidden python quickstart.py >out.txt 2>&1 || fail "the quick start failed: $(cat out.txt)"
cat out.txt
[[ $(grep -c '^-[a-z0-9-]*: reward ' out.txt) == 5 ]] || fail "quick start: not 5 steps"

echo "== the binding's tests against the installed package"
export CGYM_EXAMPLE_SERVICE=$build/services/example_cc/cgym-example-service-cc
export CGYM_EXAMPLE_SERVICE_C=$build/services/example/cgym-example-service
export CGYM_EXAMPLE_PLUGIN=$build/services/example/libcgym-example-plugin.so
# The source tree's cgym/ has no extension (SWIG writes it into the build directory), so a
# test that imported it instead of the installed package would fail at once.
python -m pytest -p no:cacheprovider "$repo/bindings/python/tests"
echo "== Python package: OK ($version)"
