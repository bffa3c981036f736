#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fails when an #include crosses a layer the wrong way, as docs/architecture.md ("Who may
# include what") lays the layers out.
# Usage: scripts/check-layers.sh [REPO_ROOT]. Prints each offending FILE:LINE.
#
#   src/common   includes nothing of ours but src/common (the lowest layer).
#   src/service  includes src/common and src/service only: never src/client or src/capi.
#   src/client   never includes src/capi; only src/client/inprocess_transport.cc may include
#                src/service (the in-process transport), and no header of src/client does, so
#                that no client header pulls in the service runtime.
#   bindings/    includes nothing of src/: only the public include/cgym.h; so do the C
#                services and examples (services/**/*.c, examples/*.c).
#
# An include is resolved as the compiler would (next to the including file, then src/, then
# include/); one that resolves nowhere is judged by its first directory (e.g. "service/...").
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
exec python3 - "$root" <<'PY'
import os
import re
import sys

root = os.path.realpath(sys.argv[1])
src = os.path.join(root, "src")
LAYERS = ("common", "service", "client", "capi")
INPROCESS = "src/client/inprocess_transport.cc"
SOURCE_EXT = (".h", ".hh", ".hpp", ".c", ".cc", ".cpp", ".cxx", ".i")
SKIP_DIRS = {"build", "target", ".git", "__pycache__", "node_modules", ".venv"}
INCLUDE = re.compile(r'^\s*[#%]\s*include\s*([<"])([^>"]+)[>"]')


def resolve(path, name):
    """The layer ("src/client", "include", "bindings", ...) an include lands in, or None."""
    candidates = [os.path.join(root, os.path.dirname(path)), src, os.path.join(root, "include")]
    for base in candidates:
        target = os.path.realpath(os.path.join(base, name))
        if os.path.isfile(target):
            rel = os.path.relpath(target, root)
            parts = rel.split(os.sep)
            if parts[0] == "src" and len(parts) > 2:
                return "src/" + parts[1]
            return parts[0] if not rel.startswith("..") else None
    parts = [p for p in name.split("/") if p not in (".", "..")]
    if parts and parts[0] in LAYERS:
        return "src/" + parts[0]
    for i in range(len(parts) - 1):
        if parts[i] == "src" and parts[i + 1] in LAYERS:
            return "src/" + parts[i + 1]
    return None


def allowed(path, layer):
    """Why `path` must not include a file of `layer`, or None if it may."""
    if path.startswith("bindings/"):
        return "bindings/ must include only cgym.h, nothing of src/" if layer.startswith(
            "src/") else None
    if path.startswith(("services/", "examples/")) and path.endswith(".c"):
        return "C services and examples must include only cgym.h, nothing of src/" if (
            layer.startswith("src/")) else None
    if path.startswith("src/common/"):
        return "src/common must include no other layer" if layer in (
            "src/service", "src/client", "src/capi", "include") else None
    if path.startswith("src/service/"):
        return "src/service must not include src/client or src/capi" if layer in (
            "src/client", "src/capi") else None
    if path.startswith("src/client/"):
        if layer == "src/capi":
            return "src/client must not include src/capi"
        if layer == "src/service" and path != INPROCESS:
            if path.endswith((".h", ".hh", ".hpp")):
                return "headers of src/client must not include src/service"
            return "only %s may include src/service" % INPROCESS
    return None


violations = 0
for top in ("src", "bindings", "services", "examples"):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for filename in sorted(filenames):
            if not filename.endswith(SOURCE_EXT):
                continue
            path = os.path.relpath(os.path.join(dirpath, filename), root)
            with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    layer = resolve(path, match.group(2))
                    why = allowed(path, layer) if layer else None
                    if why:
                        print("%s:%d: %s: %s" % (path, number, why, line.strip()))
                        violations += 1
if violations:
    print("check-layers: %d include(s) cross a layer the wrong way" % violations)
    sys.exit(1)
print("check-layers: OK")
PY
