# SPDX-License-Identifier: MIT
"""Builds the SWIG extension cgym._cgym (C part: cgym.__cgym: the SWIG wrapper of cgym/_cgym.i
and the helpers of src/) against an installed or built libcgym.

Environment variables:
  CGYM_INCLUDE_DIR  the directory holding cgym.h      (default: <repo>/include)
  CGYM_LIBRARY_DIR  the directory holding libcgym.so  (default: <repo>/build/release)
  SWIG              the swig executable               (default: swig)

The extension gets an rpath to CGYM_LIBRARY_DIR, so `import cgym` finds libcgym.so.1 there.
"""

import os
import re
import subprocess
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
INCLUDE_DIR = Path(os.environ.get("CGYM_INCLUDE_DIR", REPO / "include")).resolve()
LIBRARY_DIR = Path(os.environ.get("CGYM_LIBRARY_DIR", REPO / "build" / "release")).resolve()
SWIG = os.environ.get("SWIG", "swig")
# The C helpers compiled into the extension with the SWIG wrapper (src/cgym_py.h).
HELPERS_DIR = HERE / "src"
HELPER_FLAGS = ["-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter"]


def header_version() -> str:
    """The package's version: cgym.h's CGYM_VERSION_MAJOR.MINOR.PATCH (one version number)."""
    text = (INCLUDE_DIR / "cgym.h").read_text()
    parts = []
    for part in ("MAJOR", "MINOR", "PATCH"):
        match = re.search(rf"^#define CGYM_VERSION_{part} +([0-9]+)$", text, re.MULTILINE)
        if not match:
            raise SystemExit(f"CGYM_VERSION_{part} not found in {INCLUDE_DIR / 'cgym.h'}")
        parts.append(match.group(1))
    return ".".join(parts)


class BuildExt(build_ext):
    """Runs SWIG into the build directories (never into the source tree), then compiles."""

    def build_extension(self, ext):
        if not (INCLUDE_DIR / "cgym.h").is_file():
            raise SystemExit(f"cgym.h not found in {INCLUDE_DIR} (set CGYM_INCLUDE_DIR)")
        if not any(LIBRARY_DIR.glob("libcgym.so*")):
            raise SystemExit(f"libcgym.so not found in {LIBRARY_DIR} (set CGYM_LIBRARY_DIR)")
        interface = HERE / "cgym" / "_cgym.i"
        temp = Path(self.build_temp)
        temp.mkdir(parents=True, exist_ok=True)
        wrapper = temp / "_cgym_wrap.c"
        package_dir = Path(self.get_ext_fullpath(ext.name)).parent
        package_dir.mkdir(parents=True, exist_ok=True)
        subprocess.check_call(
            [
                SWIG,
                "-python",
                "-threads",
                "-I" + str(INCLUDE_DIR),
                "-I" + str(HELPERS_DIR),
                "-outdir",
                str(package_dir),
                "-o",
                str(wrapper),
                str(interface),
            ]
        )
        # The helpers are our code: compiled on their own, warnings as errors (the flags of the
        # extension relax some warnings for SWIG's generated wrapper only).
        ext.extra_objects = self.compiler.compile(
            [str(p) for p in sorted(HELPERS_DIR.glob("*.c"))],
            output_dir=str(temp),
            include_dirs=ext.include_dirs,
            extra_postargs=HELPER_FLAGS,
            depends=ext.depends,
        )
        ext.sources = [str(wrapper)]
        super().build_extension(ext)


class BuildPy(build_py):
    """Builds the extension first, so that SWIG's _cgym.py lands in the package."""

    def run(self):
        self.run_command("build_ext")
        super().run()


setup(
    version=header_version(),
    ext_modules=[
        Extension(
            "cgym.__cgym",
            sources=["cgym/_cgym.i"],  # replaced by the SWIG output in BuildExt
            include_dirs=[str(INCLUDE_DIR), str(HELPERS_DIR)],
            depends=[str(p) for p in sorted(HELPERS_DIR.glob("*"))],
            library_dirs=[str(LIBRARY_DIR)],
            libraries=["cgym"],
            runtime_library_dirs=[str(LIBRARY_DIR)],
            extra_compile_args=[
                "-Wno-unused-function",
                "-Wno-missing-field-initializers",
                "-Wno-incompatible-pointer-types",
            ],
        )
    ],
    cmdclass={"build_ext": BuildExt, "build_py": BuildPy},
)
