# SPDX-License-Identifier: MIT
"""The datasets of the LLVM environment (env.datasets, cgym.datasets(id)), user benchmarks
(make_benchmark, make_benchmark_from_source) and validation of its states."""

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

import cgym
from llvm_support import FIBONACCI

DATASETS = ["benchmark://cgym-v0", "generator://csmith-v0", "generator://llvm-stress-v0"]
HERE = Path(__file__).resolve().parent


@pytest.fixture
def env(llvm):
    with cgym.make("llvm-v0", "inproc", benchmark=FIBONACCI) as env:
        yield env


# ---- Datasets --------------------------------------------------------------------------------


def test_datasets_are_listed_in_order(env):
    datasets = env.datasets
    assert [d.name for d in datasets] == DATASETS
    assert all(isinstance(d, cgym.Dataset) for d in datasets)
    assert len(datasets) == 3
    assert [d.name for d in cgym.datasets("llvm-ic-v0")] == DATASETS
    for name in DATASETS:
        assert datasets[name].name == name and datasets.dataset(name) is datasets[name]
        assert isinstance(datasets[name].description, str) and datasets[name].description
    assert datasets["cgym-v0"] is datasets["benchmark://cgym-v0"]
    assert datasets["csmith-v0"] is datasets["generator://csmith-v0"]
    assert "cgym-v0" in datasets and "nope-v0" not in datasets
    with pytest.raises(LookupError, match="Dataset not found"):
        datasets["benchmark://nope-v0"]


def test_bundled_programs(env):
    dataset = env.datasets["cgym-v0"]
    assert dataset.size == 22 and len(dataset) == 22
    uris = list(dataset.benchmark_uris())
    assert len(uris) == 22 == len(set(uris))
    assert all(u.startswith("benchmark://cgym-v0/") for u in uris)
    assert FIBONACCI in uris and "benchmark://cgym-v0/sorting" in uris
    assert [str(b) for b in dataset.benchmarks()] == uris
    assert [str(dataset.benchmark_at(i)) for i in range(22)] == uris
    assert str(dataset.benchmark("cgym-v0/fibonacci")) == FIBONACCI
    assert list(itertools.islice(env.datasets.benchmark_uris(), 22)) == uris
    with pytest.raises(IndexError) as caught:
        dataset.benchmark_at(22)
    assert caught.value.code == cgym.errors.OUT_OF_RANGE
    with pytest.raises(IndexError):
        dataset.benchmark_at(-1)
    with pytest.raises(LookupError, match="Benchmark not found"):
        dataset.benchmark("benchmark://cgym-v0/nope")
    with pytest.raises(LookupError):
        env.datasets.benchmark("benchmark://cgym-v0/nope")
    # A benchmark of the dataset, reset to.
    env.reset(benchmark=dataset.benchmark_at(3))
    assert str(env.benchmark) == uris[3]
    assert env.observation["IrInstructionCount"] > 0


@pytest.mark.parametrize("name", DATASETS[1:])
def test_generators(env, name):
    dataset = env.datasets[name]
    assert dataset.size == 0 and len(dataset) == 0 and dataset
    first = list(itertools.islice(dataset.benchmark_uris(), 3))
    assert first == [str(dataset.benchmark_at(i)) for i in range(3)]
    assert len(set(first)) == 3 and all(u.startswith(name + "/") for u in first)
    assert str(dataset.benchmark(first[2])) == first[2]
    assert str(dataset.benchmark_at(2**32 - 1)).startswith(name + "/")
    with pytest.raises(IndexError):
        dataset.benchmark_at(2**32)
    with pytest.raises(LookupError):
        dataset.benchmark(name + "/not-a-seed")


@pytest.mark.parametrize("name", DATASETS)
def test_random_benchmark_is_deterministic_per_seed(env, name):
    dataset = env.datasets[name]
    assert dataset.random_benchmark(seed=7) == dataset.random_benchmark(seed=7)
    drawn = {str(dataset.random_benchmark(seed)) for seed in range(20)}
    assert len(drawn) > 1
    assert all(uri.startswith(name + "/") for uri in drawn)
    assert str(dataset.random_benchmark()).startswith(name + "/")  # a fresh seed
    assert env.datasets.random_benchmark(3) == env.datasets.random_benchmark(3)


def test_random_benchmark_matches_the_c_api(env):
    """The same URI for the same seed as cgym_dataset_random_benchmark (every language's)."""
    for seed in (0, 1, 2**63 + 5):
        assert str(env.datasets["cgym-v0"].random_benchmark(seed)) == (
            cgym._cgym.cgym_dataset_random_benchmark("benchmark://cgym-v0", seed)
        )


def test_directory_dataset(env, tmp_path):
    (tmp_path / "b.c").write_text("int twice(int x) { return 2 * x; }\n")
    (tmp_path / "a.c").write_text(
        "int sum(int n) { int s = 0; for (int i = 0; i < n; ++i) s += i; return s; }\n"
    )
    (tmp_path / "notes.txt").write_text("not a program\n")
    name = "file://" + str(tmp_path)
    dataset = env.datasets[name]
    assert isinstance(dataset, cgym.Dataset) and dataset.name == name
    assert dataset.size == 2 and len(dataset) == 2
    uris = list(dataset.benchmark_uris())
    assert len(uris) == 2 and uris[0].endswith("a.c") and uris[1].endswith("b.c")
    assert name not in [d.name for d in env.datasets]  # not listed
    env.reset(benchmark=dataset.benchmark_at(0))
    assert str(env.benchmark) == uris[0]
    assert "define" in env.observation["Ir"] and "sum" in env.observation["Ir"]
    with pytest.raises(LookupError):
        env.datasets["file://" + str(tmp_path / "missing")]


# ---- User benchmarks -------------------------------------------------------------------------

PROGRAM = """
#include <stdio.h>
int square(int x) { return x * x; }
int main(void) { printf("%d\\n", square(7)); return 0; }
"""


def test_make_benchmark_from_a_file(env, tmp_path):
    source = tmp_path / "square.c"
    source.write_text(PROGRAM)
    benchmark = env.make_benchmark(source)
    assert isinstance(benchmark, cgym.Benchmark)
    assert benchmark.uri.startswith("benchmark://user-v0/")
    assert benchmark.program[:4] == b"BC\xc0\xde"  # LLVM bitcode
    env.reset(benchmark=benchmark)
    assert str(env.benchmark) == benchmark.uri
    ir = env.observation["Ir"]
    assert "square" in ir and "optnone" not in ir
    before = env.observation["IrInstructionCount"]
    env.step("-mem2reg")
    assert env.observation["IrInstructionCount"] < before
    # Module level, with a list of inputs and options.
    other = cgym.make_benchmark([str(source)], copt=["-DUNUSED=1"])
    assert other.uri != benchmark.uri and other.program[:4] == b"BC\xc0\xde"


def test_make_benchmark_from_source(env):
    benchmark = env.make_benchmark_from_source(PROGRAM)
    assert benchmark.uri.startswith("benchmark://user-v0/")
    env.reset(benchmark=benchmark)
    assert "square" in env.observation["Ir"]
    cxx = cgym.make_benchmark_from_source(
        "template <typename T> T twice(T x) { return 2 * x; }\nint f() { return twice(3); }\n",
        lang="c++",
    )
    env.reset(benchmark=cxx)
    assert env.observation["IrInstructionCount"] > 0
    with pytest.raises(ValueError):
        cgym.make_benchmark_from_source("int x;", lang="fortran")


def test_make_benchmark_errors(env, tmp_path):
    missing = tmp_path / "missing.c"
    with pytest.raises(FileNotFoundError) as caught:
        env.make_benchmark(missing)
    assert caught.value.code == cgym.errors.NOT_FOUND
    assert str(missing) in str(caught.value)

    bad = tmp_path / "bad.c"
    bad.write_text("int main(void) { return 0 }\n")
    with pytest.raises(cgym.BenchmarkInitError) as caught:
        env.make_benchmark(bad)
    assert caught.value.code == cgym.errors.BENCHMARK_INIT
    assert "expected ';'" in str(caught.value)  # clang's diagnostic
    with pytest.raises(cgym.BenchmarkInitError, match="expected ';'"):
        cgym.make_benchmark_from_source("int main(void) { return 0 }\n")

    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    with pytest.raises(ValueError):
        cgym.make_benchmark(text)
    with pytest.raises(ValueError):
        cgym.make_benchmark([])


# ---- Validation ------------------------------------------------------------------------------


@pytest.fixture
def ic_env(llvm):
    with cgym.make("llvm-ic-v0", "inproc", benchmark=FIBONACCI) as env:
        yield env


def test_validate_a_good_state(ic_env):
    ic_env.reset()
    for action in ("-mem2reg", "-instcombine", "-simplifycfg"):
        ic_env.step(action)
    result = ic_env.validate()
    assert result.okay(), result.errors
    assert not result.errors
    assert result.reward_validated
    assert result.benchmark_semantics_validated
    assert not result.benchmark_semantics_validation_failed


def test_validate_a_wrong_reward(ic_env):
    ic_env.reset()
    ic_env.step("-mem2reg")
    state = ic_env.state
    wrong = cgym.CompilerEnvState(
        state.benchmark, state.commandline, state.walltime, state.reward + 10
    )
    result = ic_env.validate(wrong)
    assert not result.okay()
    assert result.reward_validation_failed
    assert result.errors and all(isinstance(e, cgym.ValidationError) for e in result.errors)


def test_validate_a_commandline_that_does_not_replay(ic_env):
    ic_env.reset()
    state = cgym.CompilerEnvState(FIBONACCI, "-mem2reg -no-such-pass", 0.0)
    result = ic_env.validate(state)
    assert not result.okay()
    assert result.actions_replay_failed
    assert result.errors


def fake_clang(directory: Path, first: str, then: str) -> str:
    """A stand-in for clang (CGYM_CLANG) whose first build "makes" a program that is the shell
    command `first` and every later build one that is `then`."""
    count = directory / "count"
    script = directory / "clang"
    script.write_text(
        "#!/bin/sh\n"
        f"n=$(cat '{count}' 2>/dev/null || echo 0); n=$((n + 1)); echo $n > '{count}'\n"
        f"body='{then}'; [ $n -eq 1 ] && body='{first}'\n"
        'out=; prev=; for a in "$@"; do [ "$prev" = -o ] && out=$a; prev=$a; done\n'
        'printf \'#!/bin/sh\\n%s\\n\' "$body" > "$out" && chmod +x "$out"\n'
    )
    script.chmod(0o755)
    return str(script)


def test_validate_a_program_whose_output_changed(ic_env, tmp_path, monkeypatch):
    ic_env.reset()
    ic_env.step("-mem2reg")
    # The unoptimised program is built first, then the replayed one.
    monkeypatch.setenv("CGYM_CLANG", fake_clang(tmp_path, "echo 1", "echo 2"))
    result = ic_env.validate()
    assert not result.okay()
    assert result.benchmark_semantics_validation_failed
    assert "Wrong output" in result.errors
    assert not result.actions_replay_failed and not result.reward_validation_failed


def test_validate_a_program_that_does_not_build(ic_env, monkeypatch):
    ic_env.reset()
    ic_env.step("-mem2reg")
    monkeypatch.setenv("CGYM_CLANG", "/bin/false")
    result = ic_env.validate()
    assert not result.okay()
    assert [e.type for e in result.errors] == ["Gold standard: Compilation failed"]


# ---- The cross-language reward printer -------------------------------------------------------


def test_rewards_episode_printer(llvm):
    out = subprocess.run(
        [sys.executable, str(HERE / "llvm_rewards_episode.py")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split("\n")
    assert lines[-1] == "" and len(lines) == 121
    first = lines[0].split("\t")
    assert first[:3] == ["1", "-mem2reg", "IrInstructionCount"]
    assert len(first[3]) == 16 and int(first[3], 16) >= 0
    assert lines[119].split("\t")[:3] == ["10", "-globaldce", "TextSizeOz"]
