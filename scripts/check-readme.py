#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that README.md (and the bindings' READMEs, and docs/) show what the packaging tests
run (tests/packaging/):

  <!-- same as PATH -->   the fenced block after it is the file PATH, less its SPDX line;
  <!-- run by PATH -->    every command line of the fenced block after it is a line of the
                          script PATH (so the install commands shown are the ones tested).

Usage: scripts/check-readme.py   (exit status 0 when README.md agrees with the files)"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^<!-- (same as|run by) (\S+) -->$")
SPDX = re.compile(r"^\s*(//|#|<!--)\s*SPDX-License-Identifier:")


def blocks(lines):
    """(kind, path, block lines, README line number) for each marked fenced block."""
    i = 0
    while i < len(lines):
        match = MARKER.match(lines[i])
        i += 1
        if not match:
            continue
        start = i
        if i >= len(lines) or not lines[i].startswith("```"):
            yield match[1], match[2], None, start
            continue
        i += 1
        body = []
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        i += 1
        yield match[1], match[2], body, start


def main() -> int:
    docs = [ROOT / "README.md", *sorted(ROOT.glob("bindings/*/README.md"))]
    docs += sorted(ROOT.glob("docs/*.md"))
    errors = []
    count = 0
    for doc in docs:
        count += check(doc, errors)
    if count == 0:
        errors.append("README.md: no marked block (<!-- same as ... --> / <!-- run by ... -->)")
    for error in errors:
        print(error, file=sys.stderr)
    print(f"{len(docs)} documents: {count} marked blocks, {len(errors)} errors")
    return 1 if errors else 0


def check(doc: Path, errors: list) -> int:
    """Checks the marked blocks of `doc` into `errors`; returns how many there are."""
    count = 0
    for kind, rel, body, line in blocks(doc.read_text().splitlines()):
        count += 1
        where = f"{doc.relative_to(ROOT)}:{line}"
        path = ROOT / rel
        if body is None:
            errors.append(f"{where}: no fenced block after the marker for {rel}")
            continue
        if not path.is_file():
            errors.append(f"{where}: {rel} does not exist")
            continue
        text = path.read_text().splitlines()
        if kind == "same as":
            expected = [t for t in text if not SPDX.match(t)]
            while expected and not expected[0].strip():
                expected.pop(0)
            if body != expected:
                errors.append(f"{where}: the block differs from {rel}")
        else:
            script = {t.strip() for t in text}
            for command in body:
                if command.strip() and not command.lstrip().startswith("#"):
                    if command.strip() not in script:
                        errors.append(f"{where}: {rel} does not run `{command.strip()}`")
    return count


if __name__ == "__main__":
    sys.exit(main())
