# SPDX-License-Identifier: MIT
"""The `cgym` command line: environments, spaces, datasets, autotuning searches (random and
greedy, in worker processes or on a Ray cluster), replay and validation of their results, and
a service for remote clients.

    cgym envs
    cgym spaces llvm-v0
    cgym datasets
    cgym benchmarks cgym-v0
    cgym random-search --time 60 --workers 2 benchmark://cgym-v0/crypto
    cgym random-search --time 60 --ray auto --dataset cgym-v0
    cgym greedy --dataset cgym-v0 --steps 2000
    cgym replay cgym-random-search-results.csv
    cgym serve --port 5000
    cgym serve --host 0.0.0.0 --port 5000 --tls-cert cert.pem --tls-key key.pem \
        --token-file token.txt
    cgym spaces llvm-v0 --endpoint node1:5000 --tls-ca cert.pem --token-file token.txt

Exit codes: 0 success, 1 an error (an unknown benchmark, a failed validation...), 2 a usage
error, 130 a search stopped by Ctrl-C (its results so far written and shown; 143 for
SIGTERM).
"""

import functools
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import cgym
import cgym.errors
from cgym.service import ConnectionOpts

from . import search as search_lib

DEFAULT_ENV = "llvm-ic-v0"
# Endless generators list this many benchmarks unless told otherwise.
DEFAULT_GENERATOR_LIMIT = 10
EXIT_INTERRUPTED = 130


def _console(stderr: bool = False) -> Console:
    # Redirected output (a file, a pipe, a test) is not cut at 80 columns.
    width = None
    stream = sys.stderr if stderr else sys.stdout
    if not stream.isatty() and "COLUMNS" not in os.environ:
        width = 200
    return Console(stderr=stderr, width=width, highlight=False)


def _endpoint(value: Optional[str]) -> Optional[str]:
    """--endpoint: absent or "managed" for a managed service, "inproc", "host:port"..."""
    return None if value in (None, "", "managed") else value


def _is_remote(endpoint: Optional[str]) -> bool:
    """Whether `endpoint` (after _endpoint) is a service someone else runs: neither managed
    (None) nor in this process."""
    return endpoint is not None and not endpoint.startswith("inproc")


# The default token for services someone else runs. Never a command-line option: every user
# of the machine can read a process's arguments (ps, /proc/PID/cmdline).
TOKEN_VARIABLE = "CGYM_TOKEN"


def read_token_file(path) -> str:
    """The token of a token file: its first line without trailing whitespace, as the service
    reads its --token_file."""
    try:
        with open(path, encoding="utf-8") as f:
            token = f.readline().rstrip()
    except (OSError, UnicodeDecodeError) as e:
        raise click.ClickException(f"Cannot read the token file {path}: {e}") from e
    if not token:
        raise click.ClickException(f"The token file {path} is empty")
    return token


def _fail_on_errors(command):
    """Errors of the library (unknown ids, benchmarks, a missing service...) exit 1 with their
    message; click's own (usage errors: 2) pass."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as e:
            if isinstance(
                e, (cgym.errors.ServiceError, OSError, ValueError, LookupError, TypeError)
            ):
                raise click.ClickException(str(e) or type(e).__name__) from e
            raise

    return wrapper


_FILE = click.Path(exists=True, dir_okay=False)


def endpoint_option(command):
    """--endpoint, and how to reach a service someone else runs (--token-file, --tls-ca,
    --tls, --tls-client-cert, --tls-client-key): the command gets `endpoint` and `connection`
    (the ConnectionOpts of a service someone else runs, else None)."""

    @functools.wraps(command)
    def wrapper(*args, token_file, tls_ca, tls, tls_client_cert, tls_client_key, **kwargs):
        endpoint = _endpoint(kwargs.get("endpoint"))
        given = [
            name
            for name, value in (
                ("--token-file", token_file),
                ("--tls-ca", tls_ca),
                ("--tls", tls),
                ("--tls-client-cert", tls_client_cert),
                ("--tls-client-key", tls_client_key),
            )
            if value
        ]
        if given and not _is_remote(endpoint):
            raise click.UsageError(
                f"{', '.join(given)}: only for a service someone else runs (--endpoint HOST:PORT)"
            )
        if (tls_client_cert is None) != (tls_client_key is None):
            raise click.UsageError("Give --tls-client-cert and --tls-client-key together.")
        connection = None
        if _is_remote(endpoint):
            token = read_token_file(token_file) if token_file else None
            if token is None:
                token = os.environ.get(TOKEN_VARIABLE) or None
            connection = ConnectionOpts(
                token=token,
                tls=tls,
                tls_root_certs=tls_ca,
                tls_client_cert=tls_client_cert,
                tls_client_key=tls_client_key,
            )
        return command(*args, connection=connection, **kwargs)

    options = [
        click.option(
            "--endpoint",
            default=None,
            metavar="ENDPOINT",
            help='Where the compiler runs: "managed" (default: a service this command starts), '
            '"inproc" (in this process), or "HOST:PORT" of a service (`cgym serve`).',
        ),
        click.option(
            "--token-file",
            type=_FILE,
            default=None,
            metavar="FILE",
            help="With --endpoint HOST:PORT: the service's token is the first line of FILE "
            f"(default: ${TOKEN_VARIABLE}). Never give a token on the command line itself: "
            "other users can read a process's arguments.",
        ),
        click.option(
            "--tls-ca",
            type=_FILE,
            default=None,
            metavar="PEM",
            help="With --endpoint HOST:PORT: connect with TLS and verify the service's "
            "certificate against these root certificates (e.g. its self-signed certificate).",
        ),
        click.option(
            "--tls",
            is_flag=True,
            default=False,
            help="With --endpoint HOST:PORT: connect with TLS, verifying the service against "
            "the system's root certificates.",
        ),
        click.option(
            "--tls-client-cert",
            type=_FILE,
            default=None,
            metavar="PEM",
            help="With --endpoint HOST:PORT: this client's certificate, for a service that "
            "requires one (`cgym serve --tls-client-ca`); needs --tls-client-key.",
        ),
        click.option(
            "--tls-client-key",
            type=_FILE,
            default=None,
            metavar="PEM",
            help="The private key of --tls-client-cert.",
        ),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """libcgym's CompilerGym-compatible environments from the command line."""


# ---- Environments, spaces, datasets ---------------------------------------------------------


def _service_path(env_id: str, plugin: int) -> Optional[str]:
    """Where cgym.make() finds env `env_id`'s service binary (plugin 0) or plugin (1); None if
    it is not installed. An unknown id raises."""
    try:
        return cgym.env_service_path(env_id, bool(plugin))
    except cgym.EnvironmentNotSupported:
        return None


def _space_name(space) -> str:
    if space is None:
        return "-"
    return str(getattr(space, "name", None) or getattr(space, "id", None) or space)


@cli.command(short_help="List the environments, their default spaces and service.")
@endpoint_option
@_fail_on_errors
def envs(endpoint, connection):
    """The environment ids, their default observation and reward spaces, and where their
    compiler is found."""
    endpoint = _endpoint(endpoint)
    table = Table(title="Environments")
    for column in ("id", "observation space", "reward space", "service", "in-process plugin"):
        table.add_column(column)
    for env_id in cgym.env_ids():
        service = _service_path(env_id, 0)
        plugin = _service_path(env_id, 1)
        needed = plugin if endpoint == "inproc" else service
        observation = reward = "?"
        if needed is not None or (endpoint is not None and endpoint != "inproc"):
            env = cgym.make(env_id, endpoint, connection_settings=connection)
            try:
                observation = _space_name(env.observation_space_spec)
                reward = _space_name(env.reward_space)
            finally:
                env.close()
        cells = (env_id, observation, reward, service or "not installed", plugin or "not installed")
        table.add_row(*map(escape, cells))
    _console().print(table)


@cli.command(short_help="Show an environment's action, observation and reward spaces.")
@click.argument("env_id", metavar="ENV")
@endpoint_option
@_fail_on_errors
def spaces(env_id, endpoint, connection):
    """The action, observation and reward spaces of environment ENV."""
    out = _console()
    env = cgym.make(env_id, _endpoint(endpoint), connection_settings=connection)
    try:
        for space in env.action_spaces:
            names = getattr(space, "names", None)
            count = len(names) if names is not None else getattr(space, "n", "?")
            out.print(f"[bold]Action space {escape(_space_name(space))}[/bold]: {count} actions")
            if names is not None:
                table = Table(show_header=True)
                table.add_column("index", justify="right")
                table.add_column("action")
                for i, name in enumerate(names):
                    table.add_row(str(i), name)
                out.print(table)
        table = Table(title=f"Observation spaces of {env_id}")
        for column in ("name", "space", "deterministic", "platform dependent"):
            table.add_column(column)
        for name, spec in env.observation.spaces.items():
            table.add_row(
                name,
                escape(repr(spec.space)),
                "yes" if spec.deterministic else "no",
                "yes" if spec.platform_dependent else "no",
            )
        out.print(table)
        table = Table(title=f"Reward spaces of {env_id}")
        table.add_column("name")
        default = _space_name(env.reward_space)
        table.add_column("default")
        for name in env.reward.spaces:
            table.add_row(name, "yes" if name == default else "")
        out.print(table)
    finally:
        env.close()


@cli.command(short_help="List the datasets of an environment.")
@click.argument("env_id", metavar="[ENV]", default="llvm-v0")
@_fail_on_errors
def datasets(env_id):
    """The datasets of environment ENV (default llvm-v0)."""
    table = Table(title=f"Datasets of {env_id}")
    for column in ("name", "benchmarks", "description"):
        table.add_column(column)
    for dataset in cgym.datasets(env_id):
        size = int(getattr(dataset, "size", 0) or 0)
        table.add_row(
            dataset.name,
            str(size) if size else "endless (generator)",
            getattr(dataset, "description", "") or "",
        )
    _console().print(table)


@cli.command(short_help="List the benchmark URIs of a dataset.")
@click.argument("dataset")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    help=f"List at most N (default: all, or {DEFAULT_GENERATOR_LIMIT} of an endless generator).",
)
@click.option("--env", "env_id", default="llvm-v0", show_default=True, help="Environment id.")
@_fail_on_errors
def benchmarks(dataset, limit, env_id):
    """The benchmark URIs of DATASET (e.g. cgym-v0, generator://csmith-v0, file:///DIR)."""
    found = search_lib.find_dataset(env_id, dataset)
    size = int(getattr(found, "size", 0) or 0)
    if limit is None and size == 0:
        limit = DEFAULT_GENERATOR_LIMIT
    for uri in search_lib.dataset_benchmarks(found, limit):
        click.echo(uri)


# ---- Searches ------------------------------------------------------------------------------


def _search_options(command):
    options = [
        click.argument("benchmark_uris", metavar="[BENCHMARK]...", nargs=-1),
        click.option(
            "--env",
            "env_id",
            default=DEFAULT_ENV,
            show_default=True,
            help="Environment id (`cgym envs`).",
        ),
        click.option("--dataset", default=None, help="Search the benchmarks of this dataset."),
        click.option(
            "--count",
            type=click.IntRange(min=1),
            default=None,
            help="With --dataset: the first N benchmarks (required for a generator).",
        ),
        click.option(
            "--time",
            "seconds",
            type=click.FloatRange(min=0, min_open=True),
            default=None,
            help="Seconds of search per benchmark.",
        ),
        click.option(
            "--steps",
            type=click.IntRange(min=1),
            default=None,
            help="Env steps per benchmark.",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            default=None,
            help="Worker processes, each with its own env (default 1; with --ray, the "
            "cluster's CPUs).",
        ),
        click.option(
            "--ray",
            "ray_address",
            default=None,
            metavar="auto|local|HOST:PORT",
            help="Run the searches on a Ray cluster, one actor per worker: `auto` (the cluster "
            "of $RAY_ADDRESS or the one started last on this machine), `HOST:PORT` of its head, "
            "or `local` (a Ray instance of this command). Needs `pip install ray`.",
        ),
        endpoint_option,
        click.option(
            "--reward",
            default=None,
            help="Reward space to maximise (default: the env's, else IrInstructionCountOz).",
        ),
        click.option(
            "--output",
            type=click.Path(dir_okay=False, writable=True),
            default=None,
            help="CSV of the best state per benchmark (default ./cgym-COMMAND-results.csv).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _benchmark_list(env_id, benchmark_uris, dataset, count) -> list[str]:
    if benchmark_uris and dataset:
        raise click.UsageError("Give benchmarks or --dataset, not both.")
    if count is not None and not dataset:
        raise click.UsageError("--count needs --dataset.")
    if dataset:
        found = search_lib.find_dataset(env_id, dataset)
        if int(getattr(found, "size", 0) or 0) == 0 and count is None:
            raise click.UsageError(f"{found.name} is an endless generator: give --count N.")
        uris = search_lib.dataset_benchmarks(found, count)
        if not uris:
            raise click.ClickException(f"Dataset {found.name} has no benchmarks.")
        return uris
    if not benchmark_uris:
        raise click.UsageError("Give one or more benchmarks, or --dataset.")
    uris = []
    for uri in map(search_lib.canonical_benchmark, benchmark_uris):
        if uri not in uris:
            uris.append(uri)
    return uris


class _Display:
    """Live progress (stderr): a row per running benchmark (its share of the budget, steps,
    elapsed seconds and best reward) and the count of completed benchmarks; a line per started
    and finished benchmark."""

    def __init__(self, console: Console, budget: search_lib.Budget, total: int):
        self.budget = budget
        self.total = total
        self.completed = 0
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[info]}"),
            TimeElapsedColumn(),
            console=console,
            # Fewer redraws than rich's 10/s: this process shares the cores with the searches.
            refresh_per_second=4,
        )
        self.overall = self.progress.add_task(
            "completed", total=total, info=f"0/{total} benchmarks"
        )
        self.tasks: dict[int, int] = {}

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        return self.progress.__exit__(*exc)

    def _info(self, steps: int, elapsed: float, best: float) -> str:
        b = self.budget
        done = f"{steps}/{b.steps} steps" if b.steps is not None else f"{steps} steps"
        if b.seconds is not None:
            done += f"  {elapsed:.0f}/{b.seconds:g} s"
        return f"{done}  best {best:.4f}"

    def _fraction(self, steps: int, elapsed: float) -> float:
        """The share of the budget spent: the larger of steps and time."""
        b = self.budget
        shares = [steps / b.steps if b.steps else 0.0, elapsed / b.seconds if b.seconds else 0.0]
        return min(1.0, max(shares))

    def __call__(self, event: search_lib.SearchEvent) -> None:
        p = self.progress
        if event.kind == "start":
            p.console.print(f"searching {escape(event.benchmark)} (worker {event.pid})")
            self.tasks[event.index] = p.add_task(
                escape(event.benchmark),
                # No budget (greedy until no action improves): a bar without an end.
                total=1.0 if self.budget.bounded else None,
                info=self._info(0, 0.0, 0.0),
            )
        elif event.kind == "progress" and event.index in self.tasks:
            p.update(
                self.tasks[event.index],
                completed=self._fraction(event.steps, event.elapsed),
                info=self._info(event.steps, event.elapsed, event.best),
            )
        elif event.kind == "done":
            task = self.tasks.pop(event.index, None)
            if task is not None:
                p.remove_task(task)
            r = event.result
            if r.error is not None:
                p.console.print(f"[red]failed[/red] {escape(r.benchmark)}: {escape(r.error)}")
            else:
                note = " (interrupted)" if r.interrupted else ""
                p.console.print(
                    f"done {escape(r.benchmark)}: reward {r.reward:.4f} after {r.steps} steps "
                    f"in {r.walltime:.1f} s{note}"
                )
            self.completed += 1
            p.update(
                self.overall,
                completed=self.completed,
                info=f"{self.completed}/{self.total} benchmarks",
            )


def _fmt(value, spec: str = "") -> str:
    return "-" if value is None else format(value, spec)


def _results_table(title: str, results: list) -> Table:
    """A row per benchmark: instruction counts at -O0, at -Oz and of the best found, its ratio
    to -Oz, the steps and the best commandline (and the summed reward when the search's
    reward space is not IrInstructionCountOz, whose sum the ratio is); then the geometric
    mean of the ratios."""
    other_rewards = sorted(
        {r.reward_space for r in results if r.reward_space != search_lib.IC_OZ_REWARD}
    )
    table = Table(title=title)
    columns = ["benchmark", "-O0", "-Oz", "best", "ratio to -Oz"]
    if other_rewards:
        columns.append(f"reward ({', '.join(other_rewards)})")
    columns += ["steps", "best commandline"]
    for column in columns:
        justify = "left" if column in ("benchmark", "best commandline") else "right"
        table.add_column(column, justify=justify, overflow="fold")
    ratios = []
    for r in results:
        cells = [escape(r.benchmark), _fmt(r.ic_o0), _fmt(r.ic_oz)]
        if r.error is not None:
            cells += ["-", "-"] + (["-"] if other_rewards else [])
            cells += [str(r.steps), f"[red]error: {escape(r.error)}[/red]"]
            table.add_row(*cells)
            continue
        if r.ratio is not None:
            ratios.append(r.ratio)
        commandline = escape(r.commandline) or "(none)"
        if r.interrupted:
            commandline += " [yellow](interrupted)[/yellow]"
        cells += [_fmt(r.ic_best), _fmt(r.ratio, ".4f")]
        cells += [f"{r.reward:.4f}"] if other_rewards else []
        cells += [str(r.steps), commandline]
        table.add_row(*cells)
    table.add_section()
    mean = _fmt(search_lib.geometric_mean(ratios), ".4f")
    total = str(sum(r.steps for r in results))
    table.add_row("geometric mean", "", "", "", mean, *([""] if other_rewards else []), total, "")
    return table


def _run_search(
    method: str,
    command_name: str,
    *,
    benchmark_uris,
    env_id,
    dataset,
    count,
    seconds,
    steps,
    workers,
    endpoint,
    connection,
    reward,
    output,
    ray_address=None,
    seed=None,
    patience=None,
):
    benchmark_list = _benchmark_list(env_id, benchmark_uris, dataset, count)
    budget = search_lib.Budget(steps=steps, seconds=seconds)
    if seed is None and method == "random":
        seed = random.randrange(2**32)  # shown, so that a run can be repeated
    config = search_lib.SearchConfig(
        method=method,
        env_id=env_id,
        endpoint=_endpoint(endpoint),
        connection=connection,
        reward_space=reward,
        budget=budget,
        patience=patience,
        seed=seed,
    )
    output = Path(output or f"cgym-{command_name}-results.csv")
    if not output.parent.is_dir():
        raise click.BadParameter(f"{output.parent} is not a directory", param_hint="--output")
    out, err = _console(), _console(stderr=True)
    if ray_address is None:
        runner = search_lib.SearchRunner(config, benchmark_list, workers or 1)
        where = ""
    else:
        runner = _ray_runner(ray_address, config, benchmark_list, workers)
        where = f" on Ray ({ray_address})"
    limits = [f"{steps} steps" if steps else "", f"{seconds:g} s" if seconds else ""]
    err.print(
        f"{command_name} on {len(benchmark_list)} benchmark(s) of {env_id}, "
        f"{runner.workers} worker(s){where}, budget per benchmark: "
        f"{' and '.join(x for x in limits if x) or 'none'}"
        + (f", seed {seed}" if seed is not None else ""),
        markup=False,
    )

    # Ctrl-C (or SIGTERM) asks the workers to stop (they ignore the signal themselves) and
    # keeps what they found; the handler only sets flags, the loop below does the rest.
    received = []

    def on_signal(signum, _frame):
        received.append(signum)
        runner.stop()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        with _Display(err, budget, len(benchmark_list)) as display:
            results = runner.run(display)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if ray_address is not None:
            import ray

            ray.shutdown()  # leaves a cluster it connected to running
    interrupted = runner.stopped
    if interrupted:
        err.print("[yellow]Interrupted: the results found so far are kept.[/yellow]")

    started = [r for r in results if r is not None]
    found = [r for r in started if r.error is None]
    if found:
        text = cgym.states_to_csv([r.state() for r in found])
        output.write_text(text if text.endswith("\n") else text + "\n")
    out.print(_results_table(f"{command_name}: the best found per benchmark", started))
    total_steps = sum(r.steps for r in started)
    busy = sum(r.walltime for r in started)
    if runner.walltime > 0:
        per_worker = f", {total_steps / busy:.1f} steps/s per searching worker" if busy else ""
        out.print(
            f"{total_steps} steps in {runner.walltime:.1f} s with {runner.workers} worker(s): "
            f"{total_steps / runner.walltime:.1f} steps/s{per_worker}"
        )
    if found:
        out.print(f"Best states written to {escape(str(output))}")
    else:
        err.print("No results: nothing written.")
    failed = [r for r in started if r.error is not None]
    if interrupted:
        # 130 for Ctrl-C, as a shell reports a process ended by SIGINT (143 for SIGTERM).
        sys.exit(128 + received[0] if received else EXIT_INTERRUPTED)
    if failed:
        raise click.ClickException(
            "; ".join(f"{r.benchmark}: {r.error}" for r in failed)
            if len(failed) <= 3
            else f"{len(failed)} benchmarks failed, e.g. {failed[0].benchmark}: {failed[0].error}"
        )


def _ray_runner(address: str, config, benchmarks: list, workers: Optional[int]):
    """A RaySearchRunner connected to the cluster at `address` (before the signal handlers
    are installed: ray.init installs its own for SIGTERM)."""
    try:
        from . import ray as cgym_ray
    except ImportError as e:
        raise click.ClickException(f"--ray needs Ray (pip install ray): {e}") from e
    try:
        cgym_ray.connect(address, num_cpus=workers)
    except (ConnectionError, RuntimeError, ValueError) as e:
        raise click.ClickException(f"Could not connect to Ray at {address!r}: {e}") from e
    return cgym_ray.RaySearchRunner(config, benchmarks, workers)


@cli.command("random-search", short_help="Random search of phase orderings per benchmark.")
@_search_options
@click.option(
    "--patience",
    type=click.IntRange(min=1),
    default=None,
    help="Steps without improvement before a new episode (default: 1.25 x the actions).",
)
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Seed of the random actions (default: a random one, shown).",
)
@_fail_on_errors
def random_search(**options):
    """Random search for the best phase ordering of each BENCHMARK: random episodes, each
    restarted after --patience steps without improvement, the best kept, until the budget
    (--time and/or --steps per benchmark) is spent."""
    if options["seconds"] is None and options["steps"] is None:
        raise click.UsageError("Give a budget: --time SECONDS and/or --steps N.")
    _run_search("random", "random-search", **options)


@cli.command(short_help="Greedy search of phase orderings per benchmark.")
@_search_options
@_fail_on_errors
def greedy(**options):
    """Greedy search for each BENCHMARK: at each step every action is tried on a fork and
    the best taken, until none improves or the budget (--time and/or --steps per benchmark,
    tried actions counted) is spent."""
    _run_search("greedy", "greedy", **options)


# ---- Replay --------------------------------------------------------------------------------


def _error_text(error) -> str:
    if isinstance(error, dict):
        kind = error.get("type") or error.get("error_type") or "error"
        detail = error.get("data") or error.get("details") or ""
        return f"{kind}: {detail}" if detail else str(kind)
    return str(error)


@cli.command(short_help="Replay and validate the states of a CSV file.")
@click.argument("states_csv", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--env",
    "env_id",
    default=DEFAULT_ENV,
    show_default=True,
    help="Environment id; its reward space checks the rewards.",
)
@endpoint_option
@_fail_on_errors
def replay(states_csv, env_id, endpoint, connection):
    """Replays and validates each state of STATES_CSV (benchmark,reward,walltime,commandline),
    as `cgym random-search` and `cgym greedy` write them; exits 1 if any fails."""
    states = cgym.states_from_csv(Path(states_csv).read_text())
    if not states:
        raise click.ClickException(f"No states in {states_csv}")
    table = Table(title=escape(f"Replay of {states_csv}"))
    for column, justify in (
        ("benchmark", "left"),
        ("reward recorded", "right"),
        ("reward replayed", "right"),
        ("result", "left"),
    ):
        table.add_column(column, justify=justify, overflow="fold")
    failures = 0
    env = cgym.make(env_id, _endpoint(endpoint), connection_settings=connection)
    try:
        for state in states:
            replayed = None
            try:
                env.reset(benchmark=state.benchmark)
                env.apply(state)
                replayed = env.episode_reward
                result = env.validate(state)
                errors = [_error_text(e) for e in result.errors]
                ok = result.okay()
                if not ok and not errors:
                    errors = ["validation failed"]
            except Exception as e:
                ok, errors = False, [str(e) or type(e).__name__]
            failures += not ok
            table.add_row(
                escape(state.benchmark),
                _fmt(state.reward, ".6f"),
                _fmt(replayed, ".6f"),
                "[green]ok[/green]" if ok else "[red]" + escape("; ".join(errors)) + "[/red]",
            )
    finally:
        env.close()
    _console().print(table)
    if failures:
        raise click.ClickException(f"{failures} of {len(states)} states failed validation")


# ---- Serve ---------------------------------------------------------------------------------


def _terminate_with_parent() -> None:
    """In the service's child process, before exec: SIGTERM when its parent dies (Linux's
    parent-death signal), so that a killed `cgym serve` leaves no service behind."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)


def _connect_address(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def _client_needs(env_id, address, tls_cert, tls_client_ca, token_file) -> list[str]:
    """What a client of `cgym serve` needs, in words, in Python and on the command line: one
    line each (none for a service that needs nothing)."""
    needs, settings, flags = [], [], [f"--endpoint {address}"]
    if tls_cert:
        needs.append(
            f"TLS (trusting {tls_cert} if it is self-signed, and connecting by a name it certifies)"
        )
        settings.append(f'tls_root_certs="{tls_cert}"')
        flags.append(f"--tls-ca {tls_cert}")
    if tls_client_ca:
        needs.append(f"a client certificate signed by {tls_client_ca}")
        settings.append('tls_client_cert="CERT", tls_client_key="KEY"')
        flags.append("--tls-client-cert CERT --tls-client-key KEY")
    if token_file:
        needs.append(f"the token of {token_file}")
        settings.append(f'token=open("{token_file}").readline().rstrip()')
        flags.append(f"--token-file {token_file} (or ${TOKEN_VARIABLE})")
    if not needs:
        return []
    return [
        f"Clients need {' and '.join(needs)}:",
        f'  Python: cgym.make("{env_id}", endpoint="{address}", '
        f"connection_settings=cgym.service.ConnectionOpts({', '.join(settings)}))",
        f"  cgym COMMAND {' '.join(flags)}",
    ]


@cli.command(short_help="Run a compiler service for remote clients.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0: all). An address other hosts reach needs --tls-cert "
    "and --tls-key, and --token-file or --tls-client-ca; or --insecure.",
)
@click.option(
    "--working-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="The service's directory (port.txt, logs); default: a temporary one.",
)
@click.option(
    "--env",
    "env_id",
    default="llvm-v0",
    show_default=True,
    help="Environment whose service to run.",
)
@click.option(
    "--tls-cert",
    type=_FILE,
    default=None,
    metavar="PEM",
    help="Serve with TLS: the service's certificate (chain); needs --tls-key.",
)
@click.option("--tls-key", type=_FILE, default=None, metavar="PEM", help="Its private key.")
@click.option(
    "--tls-client-ca",
    type=_FILE,
    default=None,
    metavar="PEM",
    help="Require client certificates signed by these CA certificates (with --tls-cert).",
)
@click.option(
    "--token-file",
    type=_FILE,
    default=None,
    metavar="FILE",
    help="Require the token on the first line of FILE from every client (keep the file "
    "readable by you only). Never give a token on the command line itself: other users can "
    "read a process's arguments.",
)
@click.option(
    "--insecure",
    is_flag=True,
    default=False,
    help="Allow plaintext and/or no token on an address other hosts reach: anyone who "
    "reaches the port can then drive the service. Only on a network you trust.",
)
@_fail_on_errors
def serve(port, host, working_dir, env_id, tls_cert, tls_key, tls_client_ca, token_file, insecure):
    """Runs the environment's compiler service for remote clients until Ctrl-C, and prints
    the address to connect to (cgym.make(ENV, endpoint="HOST:PORT")) and what a client
    needs (TLS, the token). The service refuses an address other hosts reach without TLS and
    a token (or client certificates), unless --insecure."""
    binary = _service_path(env_id, 0)
    if binary is None:
        raise click.ClickException(
            f"The service of {env_id} is not installed (set CGYM_LLVM_SERVICE to its path)"
        )
    if (tls_cert is None) != (tls_key is None):
        raise click.UsageError("Give --tls-cert and --tls-key together.")
    if tls_client_ca is not None and tls_cert is None:
        raise click.UsageError("--tls-client-ca needs --tls-cert and --tls-key.")
    # The service's own checks decide the rest (e.g. what an address other hosts reach needs),
    # and its messages reach this command's stderr.
    security = {
        "tls_cert": tls_cert,
        "tls_key": tls_key,
        "tls_client_ca": tls_client_ca,
        "token_file": token_file,
    }
    security_args = [
        f"--{flag}={Path(value).resolve()}" for flag, value in security.items() if value
    ]
    if insecure:
        security_args.append("--insecure")
    temporary = working_dir is None
    directory = Path(tempfile.mkdtemp(prefix="cgym-serve-") if temporary else working_dir)
    directory.mkdir(parents=True, exist_ok=True)
    port_file = directory / "port.txt"
    if port_file.exists():
        port_file.unlink()  # a previous run's: the new one is awaited
    err = _console(stderr=True)
    # Its own session: Ctrl-C in a terminal reaches this process only, which then stops the
    # service with SIGTERM and waits for its orderly exit. It gets SIGTERM too if this process
    # dies first.
    process = subprocess.Popen(
        [binary, f"--working_dir={directory}", f"--port={port}", f"--host={host}", *security_args],
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_terminate_with_parent if sys.platform.startswith("linux") else None,
    )

    def on_signal(_signum, _frame):
        raise KeyboardInterrupt

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        deadline = time.monotonic() + 60
        while not port_file.exists():
            if process.poll() is not None:
                raise click.ClickException(
                    f"The service exited with code {process.returncode} before listening"
                )
            if time.monotonic() > deadline:
                raise click.ClickException("The service did not start listening within 60 s")
            time.sleep(0.05)
        address = _connect_address(host, int(port_file.read_text().strip()))
        click.echo(address)
        sys.stdout.flush()
        serving = f"Serving {env_id} ({binary}, pid {process.pid}) on {address}"
        needs = _client_needs(env_id, address, tls_cert, tls_client_ca, token_file)
        if not needs:
            needs = [f'{serving}: connect with cgym.make("{env_id}", endpoint="{address}").']
        else:
            needs.insert(0, serving + ".")
        # Not wrapped: the lines are commands to copy.
        for line in needs + ["Ctrl-C stops."]:
            err.print(line, markup=False, soft_wrap=True)
        process.wait()
        raise click.ClickException(f"The service exited with code {process.returncode}")
    except KeyboardInterrupt:
        pass
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if process.poll() is None:
            process.terminate()
            try:
                # Calls in flight get up to 60 s (the service's own grace period).
                process.wait(timeout=75)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if temporary:
            shutil.rmtree(directory, ignore_errors=True)
    if process.returncode == 6:
        err.print("Service stopped; clients still had sessions open.")
    elif process.returncode != 0:
        raise click.ClickException(f"The service exited with code {process.returncode}")
    else:
        err.print("Service stopped.")


def main(argv=None) -> None:
    """The console script `cgym`."""
    cli.main(args=argv, prog_name="cgym")


if __name__ == "__main__":
    main()
