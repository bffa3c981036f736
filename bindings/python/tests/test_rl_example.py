# SPDX-License-Identifier: MIT
"""examples/python/rl_autophase.py (CMA-ES over a linear softmax policy, through a VecEnv of
llvm-autophase-ic-v0) runs as a process: a short training prints one line per iteration, the
same for the same --seed."""

import re
import subprocess
import sys

from conftest import REPO

EXAMPLE = REPO / "examples" / "python" / "rl_autophase.py"
LINE = re.compile(r"^iteration (\d+): mean episode reward (-?[0-9.]+), best (-?[0-9.]+)$")


def run(*args) -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_trains_and_prints_each_iteration(llvm):
    args = ("--iterations", 2, "--num-envs", 2, "--episode-length", 3, "--population", 4)
    out = run(*args, "--seed", 5)
    lines = out.splitlines()
    assert lines[0].startswith("CMA-ES over a linear softmax policy: 124 actions x 57 features")
    assert "2 envs on 2 services" in lines[0]
    iterations = [LINE.match(line) for line in lines[1:3]]
    assert all(iterations), out
    assert [int(m.group(1)) for m in iterations] == [1, 2]
    for m in iterations:
        mean, best = float(m.group(2)), float(m.group(3))
        assert mean <= best <= 1.5  # a fraction of what -Oz saves; nothing near 1.5x of it
    assert re.match(r"^final policy \(the search's mean\): episode reward -?[0-9.]+$", lines[3])
    assert len(lines) == 4
    # Deterministic for a seed.
    assert run(*args, "--seed", 5) == out


def test_rejects_bad_arguments():
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--iterations", "0"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "--iterations" in result.stderr
