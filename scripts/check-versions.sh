#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks that libcgym has one version number: include/cgym.h's CGYM_VERSION_MAJOR/MINOR/PATCH.
# CMake and the Python package read it from cgym.h at build time; Cargo.toml and pom.xml must
# hold a literal, so this fails when one of them (or a literal Python version) differs.
#   Usage: scripts/check-versions.sh        (exit status 0 when every version agrees)
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - <<'EOF'
import re
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

errors = []


def header_version():
    text = Path("include/cgym.h").read_text()
    parts = []
    for part in ("MAJOR", "MINOR", "PATCH"):
        match = re.search(rf"^#define CGYM_VERSION_{part} +([0-9]+)$", text, re.MULTILINE)
        if not match:
            sys.exit(f"include/cgym.h: no CGYM_VERSION_{part}")
        parts.append(match.group(1))
    return ".".join(parts)


def check(where, version, expected):
    print(f"{where}: {version}")
    if version != expected:
        errors.append(f"{where} is {version}, include/cgym.h is {expected}")


expected = header_version()
print(f"include/cgym.h: {expected}")

# The Rust workspace: one version in [workspace.package], which each crate inherits.
cargo = tomllib.loads(Path("bindings/rust/Cargo.toml").read_text())
check("bindings/rust/Cargo.toml [workspace.package]",
      cargo.get("workspace", {}).get("package", {}).get("version"), expected)
for manifest in ("bindings/rust/Cargo.toml", "bindings/rust/cgym-sys/Cargo.toml"):
    if tomllib.loads(Path(manifest).read_text())["package"].get("version") != {"workspace": True}:
        errors.append(f"{manifest}: the version is not version.workspace = true")

pom = ET.parse("bindings/java/pom.xml").getroot()
namespace = {"m": "http://maven.apache.org/POM/4.0.0"}
version = pom.find("m:version", namespace)
check("bindings/java/pom.xml", None if version is None else version.text.strip(), expected)
# The quick start's project (README.md, tests/packaging/java.sh) depends on this version.
quickstart = ET.parse("tests/packaging/java-quickstart/pom.xml").getroot()
dependency = quickstart.find("m:dependencies/m:dependency[m:artifactId='libcgym-java']/m:version",
                             namespace)
check("tests/packaging/java-quickstart/pom.xml (dependency)",
      None if dependency is None else dependency.text.strip(), expected)

# The Python package: either a literal in pyproject.toml, or dynamic, read from cgym.h by
# scikit-build-core's regex provider (the intended form): the same regex and result applied
# here must give the header's version.
pyproject = tomllib.loads(Path("bindings/python/pyproject.toml").read_text())
project = pyproject["project"]
if "version" in project:
    check("bindings/python/pyproject.toml", project["version"], expected)
elif "version" in project.get("dynamic", []):
    skbuild = pyproject.get("tool", {}).get("scikit-build", {})
    provider = skbuild.get("metadata", {}).get("version", {})
    source = Path("bindings/python") / provider.get("input", "")
    if provider.get("provider") != "scikit_build_core.metadata.regex" or "regex" not in provider:
        errors.append("bindings/python: the version is dynamic but not read by "
                      "[tool.scikit-build.metadata.version] (scikit_build_core.metadata.regex)")
    elif source.resolve() != Path("include/cgym.h").resolve():
        errors.append(f"bindings/python: the version is read from {source}, not include/cgym.h")
    else:
        match = re.search(provider["regex"], source.read_text(), re.MULTILINE)
        if not match:
            errors.append(f"bindings/python: the version's regex does not match {source}")
        else:
            result = provider.get("result", "{value}")
            check("bindings/python (read from include/cgym.h by scikit-build-core)",
                  result.format(*match.groups(), **match.groupdict()), expected)
else:
    errors.append("bindings/python/pyproject.toml: no version, and version is not dynamic")
init = Path("bindings/python/cgym/__init__.py").read_text()
literal = re.search(r'^__version__ = "([^"]*)"', init, re.MULTILINE)
if literal:
    check("bindings/python/cgym/__init__.py __version__", literal.group(1), expected)

for error in errors:
    print(f"version mismatch: {error}", file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
