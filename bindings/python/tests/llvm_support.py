# SPDX-License-Identifier: MIT
"""What the tests of cgym.make() share: whether the LLVM environment is installed, the ids with
their default spaces, and the endpoints."""

import os

import pytest

import cgym

FIBONACCI = "benchmark://cgym-v0/fibonacci"
SORTING = "benchmark://cgym-v0/sorting"

# id -> (default observation space, default reward space), as cgym.h documents them.
IDS = {
    "llvm-v0": (None, None),
    "llvm-ic-v0": (None, "IrInstructionCountOz"),
    "llvm-codesize-v0": (None, "ObjectTextSizeOz"),
    "llvm-autophase-ic-v0": ("Autophase", "IrInstructionCountOz"),
    "llvm-autophase-codesize-v0": ("Autophase", "ObjectTextSizeOz"),
}
# None: a managed service; "inproc": the plugin in this process.
ENDPOINTS = [None, "inproc"]


def require_llvm() -> None:
    """Skips the test when the LLVM environment is not built and no variable names it; fails
    it when a variable names a file that is not there (a typo must not pass as a skip)."""
    for variable, plugin in (("CGYM_LLVM_SERVICE", False), ("CGYM_LLVM_PLUGIN", True)):
        try:
            cgym.env_service_path("llvm-v0", plugin=plugin)
        except cgym.EnvironmentNotSupported as e:
            if os.environ.get(variable):
                pytest.fail(f"${variable} is set but not usable: {e}", pytrace=False)
            pytest.skip(f"the LLVM environment is not installed: {e}")
