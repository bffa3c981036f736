# SPDX-License-Identifier: MIT
"""The `cgym` command line (cgym/cli.py), run as a process (`python -m cgym.cli`) end to end
on the LLVM environment: listings, random and greedy search on two small bundled programs
with tiny budgets (the CSV of states parsed back and checked against instruction counts, the
table), replay and validation of the CSV, error and usage exit codes, Ctrl-C during a search,
and `cgym serve` reached by a remote client.

LLVM is optional: without $CGYM_LLVM_SERVICE and without a service that libcgym finds
(cgym.env_service_path), these tests are skipped; a variable naming a missing file fails them.
"""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import cgym

SUM_SQUARES = "benchmark://cgym-v0/sum_squares"
FIBONACCI = "benchmark://cgym-v0/fibonacci"
BENCHMARKS = [SUM_SQUARES, FIBONACCI]
TIMEOUT = 300  # seconds for one command: generous, the commands take a few seconds


@pytest.fixture(scope="module")
def cli_env() -> dict:
    return llvm_environment()


def llvm_environment() -> dict:
    """The environment of the command's process: this one, with the LLVM service and plugin
    named: $CGYM_LLVM_SERVICE and $CGYM_LLVM_PLUGIN, else those libcgym finds
    (cgym.env_service_path), named explicitly so that the commands run the same ones. Skips the
    test without LLVM."""
    value = os.environ.get("CGYM_LLVM_SERVICE")
    if not value:
        try:
            value = cgym.env_service_path("llvm-v0")
        except cgym.EnvironmentNotSupported as e:
            pytest.skip(f"$CGYM_LLVM_SERVICE is not set and {e}")
    service = Path(value).resolve()
    if not service.is_file() or not os.access(service, os.X_OK):
        pytest.fail(f"$CGYM_LLVM_SERVICE={value!r} is not an executable file", pytrace=False)
    plugin = Path(os.environ.get("CGYM_LLVM_PLUGIN") or service.parent / "libcgym-llvm.so")
    if not plugin.is_file():
        pytest.fail(f"The LLVM session plugin was not found at {plugin}", pytrace=False)
    env = dict(os.environ)
    env["CGYM_LLVM_SERVICE"] = str(service)
    env["CGYM_LLVM_PLUGIN"] = str(plugin.resolve())
    # rich's tables: one line per row for the short columns, and paths uncut (an installed
    # package's service path is long).
    env["COLUMNS"] = "1000"
    env.pop("NO_COLOR", None)
    os.environ["CGYM_LLVM_SERVICE"] = env["CGYM_LLVM_SERVICE"]
    os.environ["CGYM_LLVM_PLUGIN"] = env["CGYM_LLVM_PLUGIN"]
    return env


def run_cli(cli_env, *args, cwd=None, timeout=TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cgym.cli", *map(str, args)],
        env=cli_env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# What replay reports when an optimised program does not behave as the original.
SEMANTICS_FAILURES = ("Runtime error", "Wrong output", "Execution timeout")


def table_rows(stdout: str) -> dict[str, list[str]]:
    """The cells of the table rows of stdout whose first cell is a benchmark URI or
    "geometric mean" (the first line of each row)."""
    rows = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in re.split(r"[│┃]", line)]
        if len(cells) > 2 and (cells[1].startswith("benchmark://") or cells[1] == "geometric mean"):
            rows.setdefault(cells[1], cells[2:-1])
    return rows


@pytest.fixture(scope="module")
def inproc_env(cli_env):
    env = cgym.make("llvm-ic-v0", "inproc")
    yield env
    env.close()


def instruction_counts(env, state) -> tuple[int, int, int]:
    """(-O0, -Oz, after the state's commandline) of the state's benchmark."""
    env.reset(benchmark=state.benchmark)
    o0 = int(env.observation["IrInstructionCountO0"])
    oz = int(env.observation["IrInstructionCountOz"])
    env.apply(state)
    return o0, oz, int(env.observation["IrInstructionCount"])


def check_states(env, csv_path: Path, stdout: str, steps=None) -> list:
    """The CSV's states: one per benchmark, each reward (O0 - IC) / (O0 - Oz) of the
    instruction count its commandline gives, as the table shows them."""
    states = cgym.states_from_csv(csv_path.read_text())
    assert sorted(s.benchmark for s in states) == sorted(BENCHMARKS)
    assert csv_path.read_text().startswith("benchmark,reward,walltime,commandline")
    rows = table_rows(stdout)
    for state in states:
        o0, oz, ic = instruction_counts(env, state)
        assert state.reward == pytest.approx((o0 - ic) / max(o0 - oz, 1), abs=1e-9)
        assert state.reward >= 0  # the empty episode (reward 0) is always there
        assert state.walltime > 0
        row = rows[state.benchmark]
        assert row[:4] == [str(o0), str(oz), str(ic), f"{state.reward:.4f}"], row
        if steps is not None:
            assert row[4] == str(steps)
    assert any(s.reward > 0 for s in states)  # 20 steps find something on these programs
    assert "geometric mean" in rows
    assert "steps/s" in stdout
    return states


def test_console_script(cli_env):
    """The console script of the package runs the same command line."""
    script = Path(sys.executable).parent / "cgym"
    assert script.is_file(), "the package installs the console script `cgym`"
    result = subprocess.run(
        [str(script), "--help"], env=cli_env, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert result.returncode == 0, result.stderr
    for command in ("envs", "spaces", "datasets", "benchmarks", "random-search", "greedy"):
        assert command in result.stdout
    assert "replay" in result.stdout and "serve" in result.stdout


# ---- Listings --------------------------------------------------------------------------------


def test_envs_lists_ids_spaces_and_service(cli_env):
    result = run_cli(cli_env, "envs")
    assert result.returncode == 0, result.stderr
    lines = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    for env_id in cgym.env_ids():
        assert env_id in lines
    assert "IrInstructionCountOz" in lines["llvm-ic-v0"]
    assert "Autophase" in lines["llvm-autophase-ic-v0"]
    assert "ObjectTextSizeOz" in lines["llvm-codesize-v0"]
    assert cli_env["CGYM_LLVM_SERVICE"] in lines["llvm-v0"]


def test_envs_reports_a_missing_service(cli_env, tmp_path):
    env = dict(cli_env, CGYM_LLVM_SERVICE=str(tmp_path / "nothing-here"))
    result = run_cli(env, "envs")
    assert result.returncode == 0, result.stderr
    assert "not installed" in result.stdout


def test_spaces(cli_env):
    result = run_cli(cli_env, "spaces", "llvm-ic-v0", "--endpoint", "inproc")
    assert result.returncode == 0, result.stderr
    assert re.search(r"Action space \S+: 124 actions", result.stdout)
    for name in ("-mem2reg", "-globaldce", "IrInstructionCountO0", "Autophase", "TextSizeOz"):
        assert name in result.stdout


def test_datasets_and_benchmarks(cli_env):
    result = run_cli(cli_env, "datasets")
    assert result.returncode == 0, result.stderr
    for name in ("benchmark://cgym-v0", "generator://csmith-v0", "generator://llvm-stress-v0"):
        assert name in result.stdout

    result = run_cli(cli_env, "benchmarks", "cgym-v0")
    assert result.returncode == 0, result.stderr
    uris = result.stdout.split()
    assert SUM_SQUARES in uris and FIBONACCI in uris
    assert len(uris) == len(set(uris)) > 10

    result = run_cli(cli_env, "benchmarks", "generator://csmith-v0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [f"generator://csmith-v0/{i}" for i in range(10)]
    result = run_cli(cli_env, "benchmarks", "cgym-v0", "--limit", "2")
    assert result.stdout.split() == uris[:2]

    result = run_cli(cli_env, "benchmarks", "no-such-dataset")
    assert result.returncode == 1
    assert "no-such-dataset" in result.stderr


# ---- Searches, replay --------------------------------------------------------------------


@pytest.fixture(scope="module")
def random_search_csv(cli_env, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    directory = tmp_path_factory.mktemp("random")
    result = run_cli(
        cli_env,
        "random-search",
        "--steps",
        20,
        "--seed",
        7,
        "--workers",
        2,
        *BENCHMARKS,
        cwd=directory,
    )
    return directory / "cgym-random-search-results.csv", result


def test_random_search(random_search_csv, inproc_env):
    csv_path, result = random_search_csv
    assert result.returncode == 0, result.stderr
    check_states(inproc_env, csv_path, result.stdout, steps=20)


def test_random_search_is_reproducible_by_seed(cli_env, tmp_path):
    """A run without --seed shows its seed; the same seed gives the same search."""

    def search(*args):
        output = tmp_path / "states.csv"
        result = run_cli(
            cli_env,
            "random-search",
            "--steps",
            20,
            "--endpoint",
            "inproc",
            "--output",
            output,
            *args,
            FIBONACCI,
        )
        assert result.returncode == 0, result.stderr
        return result, [s.commandline for s in cgym.states_from_csv(output.read_text())]

    first, commandlines = search()
    seed = re.search(r"seed (\d+)", first.stderr).group(1)
    assert search("--seed", seed)[1] == commandlines


def test_greedy_in_process(cli_env, tmp_path, inproc_env):
    output = tmp_path / "greedy.csv"
    result = run_cli(
        cli_env, "greedy", "--steps", 20, "--endpoint", "inproc", "--output", output, *BENCHMARKS
    )
    assert result.returncode == 0, result.stderr
    states = check_states(inproc_env, output, result.stdout, steps=20)
    # 20 tried actions are one partial round: the best of them, one action.
    assert all(len(s.commandline.split()) == 1 for s in states)


def test_greedy_takes_the_best_action_each_round(cli_env, tmp_path, inproc_env):
    """Two full rounds (2 x 124 tried actions): each action taken has the best reward of all
    actions from where it was taken."""
    output = tmp_path / "greedy.csv"
    result = run_cli(
        cli_env, "greedy", "--steps", 248, "--endpoint", "inproc", "--output", output, FIBONACCI
    )
    assert result.returncode == 0, result.stderr
    (state,) = cgym.states_from_csv(output.read_text())
    taken = state.commandline.split()
    assert len(taken) == 2
    env = inproc_env
    names = env.action_space.names
    for i in range(2):
        rewards = []
        for action in names:
            env.reset(benchmark=FIBONACCI)
            for previous in taken[:i]:
                env.step(previous)
            rewards.append(env.step(action)[1])
        assert names[rewards.index(max(rewards))] == taken[i]


def test_replay_passes_and_fails_on_a_corrupted_reward(cli_env, random_search_csv, tmp_path):
    csv_path, _ = random_search_csv
    result = run_cli(cli_env, "replay", csv_path)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = table_rows(result.stdout)
    states = cgym.states_from_csv(csv_path.read_text())
    for state in states:
        recorded, replayed, status = rows[state.benchmark]
        assert recorded == replayed == f"{state.reward:.6f}"
        assert status == "ok"

    states[1].reward += 0.5
    corrupted = tmp_path / "corrupted.csv"
    corrupted.write_text(cgym.states_to_csv(states))
    result = run_cli(cli_env, "replay", "--endpoint", "inproc", corrupted)
    assert result.returncode == 1
    rows = table_rows(result.stdout)
    assert rows[states[0].benchmark][2] == "ok"
    assert rows[states[1].benchmark][2] != "ok"
    assert "1 of 2 states failed validation" in result.stderr


def test_replay_reports_a_miscompiled_program(cli_env, inproc_env, tmp_path):
    """A commandline that LLVM 16 miscompiles fibonacci with replays to its reward, and replay
    says the program no longer runs as the original did."""
    env = inproc_env
    env.reset(benchmark=FIBONACCI)
    for action in ("-newgvn", "-dse", "-newgvn"):
        env.step(action)
    state = env.state
    states_csv = tmp_path / "miscompiled.csv"
    states_csv.write_text(cgym.states_to_csv([state]))
    result = run_cli(cli_env, "replay", "--endpoint", "inproc", states_csv)
    assert result.returncode == 1, result.stdout + result.stderr
    recorded, replayed, status = table_rows(result.stdout)[FIBONACCI]
    assert recorded == replayed == f"{state.reward:.6f}"
    assert status.startswith("Runtime error")
    assert "1 of 1 states failed validation" in result.stderr


def test_unknown_benchmark_exits_1(cli_env, tmp_path):
    result = run_cli(
        cli_env, "random-search", "--steps", 5, "benchmark://cgym-v0/no_such_program", cwd=tmp_path
    )
    assert result.returncode == 1
    assert "benchmark://cgym-v0/no_such_program" in result.stderr
    assert "not found" in result.stderr.lower()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["random-search", FIBONACCI],  # no budget
        ["random-search", "--steps", "0", FIBONACCI],
        ["random-search", "--steps", "5", "--workers", "0", FIBONACCI],
        ["random-search", "--steps", "5"],  # no benchmark
        ["random-search", "--steps", "5", "--dataset", "generator://csmith-v0"],  # endless
        ["random-search", "--steps", "5", "--dataset", "cgym-v0", FIBONACCI],
        ["greedy", "--no-such-option", FIBONACCI],
        ["replay"],
        ["no-such-command"],
    ],
)
def test_usage_errors_exit_2(cli_env, tmp_path, args):
    result = run_cli(cli_env, *args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Usage:" in result.stderr or "Error:" in result.stderr
    assert not list(tmp_path.iterdir())


# ---- Ctrl-C, serve ---------------------------------------------------------------------------


class LineReader:
    """Lines of a stream, read by a thread, with a bounded wait for a matching one."""

    def __init__(self, stream):
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        thread.start()

    def _read(self, stream):
        for line in stream:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, pattern: str, timeout: float = 120) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if line is None:
                break
            match = re.search(pattern, line)
            if match:
                return match
        read = "".join(line for line in self.seen if line is not None)
        pytest.fail(f"No line matching {pattern!r} within {timeout} s: {read}")

    def rest(self) -> str:
        """Everything read, once the stream has ended (bounded wait)."""
        while not self.seen or self.seen[-1] is not None:
            self.seen.append(self.lines.get(timeout=30))
        return "".join(self.seen[:-1])


@pytest.mark.parametrize(
    ("signum", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"]
)
def test_ctrl_c_keeps_the_results(cli_env, tmp_path, inproc_env, signum, exit_code):
    """Ctrl-C (SIGINT) or SIGTERM during a search: the workers stop, the best found so far is
    written and shown, and the exit code says which signal it was."""
    output = tmp_path / "states.csv"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cgym.cli",
            "random-search",
            "--time",
            "600",
            "--workers",
            "2",
            "--output",
            str(output),
            *BENCHMARKS,
        ],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stderr = LineReader(process.stderr)
        started = {stderr.wait_for(r"searching (\S+)").group(1) for _ in BENCHMARKS}
        assert started == set(BENCHMARKS)
        # The workers have their first step to take; any progress at all is enough.
        time.sleep(2)
        process.send_signal(signum)
        process.wait(timeout=120)  # stdout holds a table: far less than a pipe's buffer
        stdout = process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == exit_code, stderr.rest()
    assert "Interrupted" in stderr.rest()
    rows = table_rows(stdout)
    states = cgym.states_from_csv(output.read_text())
    assert sorted(s.benchmark for s in states) == sorted(BENCHMARKS)
    for state in states:
        o0, oz, ic = instruction_counts(inproc_env, state)
        assert state.reward == pytest.approx((o0 - ic) / max(o0 - oz, 1), abs=1e-9)
        assert int(rows[state.benchmark][4]) > 0  # steps were taken
    # The kept states replay to their recorded rewards. Their programs need not run: a random
    # search may keep a sequence that LLVM 16 miscompiles (e.g. -newgvn -dse -newgvn breaks
    # fibonacci), which replay rightly reports as a semantics failure, not a lost result.
    result = run_cli(cli_env, "replay", "--endpoint", "inproc", output)
    replayed = table_rows(result.stdout)
    for state in states:
        recorded, reward, status = replayed[state.benchmark]
        report = result.stdout + result.stderr
        assert recorded == reward == f"{state.reward:.6f}", report
        assert status == "ok" or status.startswith(SEMANTICS_FAILURES), report
    assert result.returncode == (0 if all(r[2] == "ok" for r in replayed.values()) else 1)


def test_serve(cli_env, tmp_path):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cgym.cli",
            "serve",
            "--port",
            "0",
            "--working-dir",
            str(tmp_path / "service"),
        ],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout = LineReader(process.stdout)
        address = stdout.wait_for(r"^(127\.0\.0\.1:\d+)$").group(1)
        service_pid = int((tmp_path / "service" / "pid.txt").read_text())
        env = cgym.make("llvm-ic-v0", endpoint=address, benchmark="cgym-v0/fibonacci")
        try:
            env.reset()
            _, reward, done, _ = env.step("-mem2reg")
            assert not done and reward > 0
            assert env.episode_reward == reward
        finally:
            env.close()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)
        stderr = process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert "Service stopped" in stderr
    with pytest.raises(ProcessLookupError):
        os.kill(service_pid, 0)


def test_search_on_a_service_with_tls_and_a_token(cli_env, tmp_path, inproc_env):
    """docs/scale-out.md's cluster without Ray, on one machine: `cgym serve` with TLS and a
    token, and a search reaching it with --tls-ca and --token-file (or $CGYM_TOKEN); without
    the token the search fails."""
    from test_security import TOKEN, make_certificate

    cert, key = make_certificate(tmp_path, "localhost")
    token = tmp_path / "token.txt"
    token.write_text(TOKEN + "\n")
    token.chmod(0o600)
    process = subprocess.Popen(
        [
            sys.executable, "-m", "cgym.cli", "serve", "--port", "0", "--host", "127.0.0.1",
            "--tls-cert", cert, "--tls-key", key, "--token-file", token,
        ],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        port = int(LineReader(process.stdout).wait_for(r"^127\.0\.0\.1:(\d+)$").group(1))
        endpoint = f"localhost:{port}"  # the name its certificate gives
        output = tmp_path / "states.csv"
        search = ["random-search", "--steps", 20, "--endpoint", endpoint, "--tls-ca", cert]
        search += ["--output", output, FIBONACCI]
        result = run_cli(cli_env, *search, "--token-file", token)
        assert result.returncode == 0, result.stderr
        check_states_of(inproc_env, output, FIBONACCI)
        result = run_cli(dict(cli_env, CGYM_TOKEN=TOKEN), *search)
        assert result.returncode == 0, result.stderr
        result = run_cli(cli_env, *search)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Missing or invalid token" in result.stdout + result.stderr
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, process.stderr.read()


def check_states_of(env, csv_path: Path, benchmark: str) -> None:
    """The CSV holds one state of `benchmark` whose reward its commandline gives."""
    (state,) = cgym.states_from_csv(csv_path.read_text())
    assert state.benchmark == benchmark
    o0, oz, ic = instruction_counts(env, state)
    assert state.reward == pytest.approx((o0 - ic) / max(o0 - oz, 1), abs=1e-9)
