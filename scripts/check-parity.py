#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that every function of include/cgym.h is reachable from each binding.

A function is reachable when the binding's own code calls it (its name appears in the
binding's sources, outside raw FFI declaration files), or when the binding's PARITY.md lists
it under "## Not exposed" as "- `cgym_name`: reason". Fails, naming them, for functions that
are neither, for listed names that cgym.h does not declare, for listed functions that the
binding does call (the list would lie), and for exclusions without a reason.

Usage: scripts/check-parity.py [--table]   (--table prints the parity table per binding)
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Per binding: the sources that count as calling a function, and files left out because they
# only declare the C functions (a raw FFI layer declares everything and proves nothing).
BINDINGS = {
    "python": {
        "dir": ROOT / "bindings/python",
        "sources": ["cgym/**/*.py", "cgym/**/*.i", "src/**/*.c", "src/**/*.h"],
        "declarations": [],
    },
    "rust": {
        "dir": ROOT / "bindings/rust",
        # The safe crate only: its raw layer is the crate cgym-sys (cgym-sys/), outside these.
        "sources": ["src/**/*.rs"],
        "declarations": [],
    },
    "java": {
        "dir": ROOT / "bindings/java",
        "sources": ["src/main/**/*.c", "src/main/**/*.h", "src/main/**/*.java"],
        "declarations": [],
    },
}

EXCLUSION = re.compile(r"^- `(cgym_\w+)`\s*:?\s*(.*)$")


def header_functions():
    text = (ROOT / "include/cgym.h").read_text()
    # Declarations: CGYM_API <type> <name>(...); the type may span pointer stars.
    return sorted(set(re.findall(r"\bCGYM_API\b[^;(]*?\b(cgym_\w+)\s*\(", text)))


def exclusions(binding_dir):
    parity = binding_dir / "PARITY.md"
    if not parity.exists():
        return None, [f"{parity.relative_to(ROOT)} is missing"]
    listed, errors, inside = {}, [], False
    for number, line in enumerate(parity.read_text().splitlines(), 1):
        if line.startswith("## "):
            inside = line.strip().lower() == "## not exposed"
            continue
        match = EXCLUSION.match(line) if inside else None
        if match:
            name, reason = match.groups()
            if not reason.strip():
                errors.append(f"{parity.relative_to(ROOT)}:{number}: {name} has no reason")
            listed[name] = reason.strip()
    return listed, errors


def used_names(spec):
    skip = {spec["dir"] / d for d in spec["declarations"]}
    text = []
    for pattern in spec["sources"]:
        for path in spec["dir"].glob(pattern):
            if path.is_file() and path not in skip:
                text.append(path.read_text(errors="replace"))
    # SWIG's %ignore names a function to leave out: that is not a use.
    code = re.sub(r"^\s*%ignore\b.*$", "", "\n".join(text), flags=re.M)
    return set(re.findall(r"\b(cgym_\w+)\b", code))


def main():
    functions = header_functions()
    if len(functions) < 100:
        print(f"check-parity: found only {len(functions)} functions in cgym.h; parser broken?")
        return 1
    failures, rows = [], {}
    for binding, spec in BINDINGS.items():
        listed, errors = exclusions(spec["dir"])
        failures += [f"{binding}: {e}" for e in errors]
        if listed is None:
            continue
        used = used_names(spec)
        for name in functions:
            if name in used and name in listed:
                failures.append(f"{binding}: {name} is called but listed as not exposed")
            elif name not in used and name not in listed:
                failures.append(f"{binding}: {name} is neither called nor listed in PARITY.md")
            rows.setdefault(name, {})[binding] = "yes" if name in used else "no"
        for name in sorted(set(listed) - set(functions)):
            failures.append(f"{binding}: PARITY.md lists {name}, which cgym.h does not declare")
    if "--table" in sys.argv:
        names = list(BINDINGS)
        print("| cgym.h function | " + " | ".join(names) + " |")
        print("|---" * (len(names) + 1) + "|")
        for name in functions:
            print(f"| `{name}` | " + " | ".join(rows.get(name, {}).get(b, "?") for b in names) + " |")
    for failure in failures:
        print("check-parity: " + failure)
    total = len(functions)
    for binding in BINDINGS:
        called = sum(1 for n in functions if rows.get(n, {}).get(binding) == "yes")
        print(f"check-parity: {binding}: {called} of {total} called, {total - called} listed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
