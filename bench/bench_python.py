#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Python row of the benchmark table (issue 6): `env.step(0)` of a cgym.CompilerEnv
against the same step through the C API, timed by a loop in C, in the same process and run.

Usage (with the Python of a venv where the `cgym` package is installed; the reference library
BUILD_DIR/bench/libcgym_bench_pyref.so is loaded after it, so that its libcgym.so.1 is the
package's own: one libcgym in the process, measured both ways):

  bench_python.py --build-dir BUILD_DIR [--out FILE] [--repetitions N] [--min-time S] [--smoke]

Two transports, each with its figure and its reference on the same kind of env:
  step_grpc    an unmanaged C++ example service (cgym-example-service-cc, started here,
               dialled on IPv4 loopback), benchmark://bench/x, one session per env
  step_inproc  the benchmark session of bench/bench_session.c registered in-process as
               "bench" (by BUILD_DIR/bench/libcgym_bench_pyref.so) and reached as inproc:bench
Figures `python/step_*`: env.step(0) after env.reset(), no observation or reward space.
References `capi_ref/step_*`: cgym_step_index(env, 0, ...) in a C loop (bench/py_ref.c) on a
C API env of the same endpoint.

As the C++ harness: the iteration count of each benchmark is calibrated to take MIN_TIME
seconds, then REPETITIONS repetitions of every benchmark run interleaved in random order; the
JSON (--out) has each benchmark's median time per step in seconds, which bench/report.py
reads (--python). scripts/bench.sh runs it with 10x the repetitions of 1/10 the time of the
C++ harness (finer interleaving, the same total time). --smoke runs everything briefly (for
CI, from scripts/test.sh) and checks no target.
"""

import argparse
import ctypes
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cgym

BENCHMARK_URI = "benchmark://bench/x"


class Service:
    """An unmanaged service process (CompilerGym's --working_dir / port.txt protocol), with
    bounded waits for its start and its stop."""

    def __init__(self, binary: Path, start_timeout: float = 30):
        self.working_dir = Path(tempfile.mkdtemp(prefix="cgym-bench-py-"))
        self.log = open(self.working_dir.parent / (self.working_dir.name + ".log"), "wb")
        self.process = subprocess.Popen(
            [str(binary), f"--working_dir={self.working_dir}"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        port_file = self.working_dir / "port.txt"
        deadline = time.monotonic() + start_timeout
        while True:
            text = port_file.read_text().strip() if port_file.is_file() else ""
            if text:
                break
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{binary} did not start (log: {self.log.name})")
            time.sleep(0.005)
        self.endpoint = f"127.0.0.1:{int(text)}"

    def stop(self, timeout: float = 10) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)
        self.log.close()
        os.unlink(self.log.name)
        shutil.rmtree(self.working_dir, ignore_errors=True)


def load_pyref(build_dir: Path) -> ctypes.CDLL:
    """The C side (bench/py_ref.c). It must share the binding's libcgym.so.1: one copy of the
    library per process, or the in-process registry the binding sees is another one."""
    lib = ctypes.CDLL(str(build_dir / "bench" / "libcgym_bench_pyref.so"))
    lib.cgym_bench_register_inproc.argtypes = [ctypes.c_char_p]
    lib.cgym_bench_register_inproc.restype = ctypes.c_int
    lib.cgym_bench_connect.argtypes = [ctypes.c_char_p]
    lib.cgym_bench_connect.restype = ctypes.c_void_p
    lib.cgym_bench_step_loop.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.cgym_bench_step_loop.restype = ctypes.c_int64
    lib.cgym_env_free.argtypes = [ctypes.c_void_p]
    lib.cgym_env_free.restype = None
    lib.cgym_last_error_message.argtypes = []
    lib.cgym_last_error_message.restype = ctypes.c_char_p
    with open("/proc/self/maps") as f:
        copies = {line.split()[-1] for line in f if "/libcgym.so" in line}
    if len(copies) != 1:
        raise RuntimeError(
            f"libcgym is loaded more than once: {sorted(copies)}; install the "
            f"binding against {build_dir}"
        )
    return lib


def c_error(lib, what):
    return RuntimeError(f"{what}: {lib.cgym_last_error_message().decode(errors='replace')}")


def python_step(env):
    """n -> seconds for n steps of env.step(0), the natural user call."""

    def run(n):
        start = time.perf_counter_ns()
        for _ in range(n):
            env.step(0)
        return (time.perf_counter_ns() - start) * 1e-9

    return run


def capi_step(lib, env):
    """n -> seconds for n steps of cgym_step_index(env, 0) in a C loop."""

    def run(n):
        ns = lib.cgym_bench_step_loop(env, n)
        if ns < 0:
            raise c_error(lib, "cgym_step_index")
        return ns * 1e-9

    return run


def calibrate(run, min_time: float) -> int:
    """An iteration count taking about min_time seconds (as Google Benchmark's)."""
    n = 1
    while True:
        elapsed = run(n)
        if elapsed >= min_time or n >= 1 << 30:
            break
        n = max(n * 2, int(n * 1.4 * min_time / max(elapsed, 1e-9)))
    return max(1, int(n * min_time / max(elapsed, 1e-9)))


def measure(benchmarks, repetitions: int, min_time: float, seed=None):
    """Medians of `repetitions` interleaved repetitions: {name: {...}} in seconds per step."""
    iterations = {name: calibrate(run, min_time) for name, run in benchmarks.items()}
    order = [name for name in benchmarks for _ in range(repetitions)]
    random.Random(seed).shuffle(order)
    times = {name: [] for name in benchmarks}
    for name in order:
        n = iterations[name]
        times[name].append(benchmarks[name](n) / n)
    return {
        name: {"median": statistics.median(t), "repetitions": t, "iterations": iterations[name]}
        for name, t in times.items()
    }


def check_step(env):
    """The figure's call does what it should: a step without observation or reward."""
    observation, reward, done, info = env.step(0)
    if observation is not None or reward is not None or done or "error_type" in info:
        raise RuntimeError(f"unexpected step result: {(observation, reward, done, info)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--build-dir",
        type=Path,
        required=True,
        help="the build of libcgym the binding is installed against",
    )
    parser.add_argument("--out", type=Path, help="JSON results (default: stdout only)")
    parser.add_argument("--repetitions", type=int, default=25)
    parser.add_argument("--min-time", type=float, default=0.05, help="seconds per repetition")
    parser.add_argument(
        "--smoke", action="store_true", help="run briefly (2 repetitions of about 1 ms), for CI"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.repetitions, args.min_time = 2, 0.001
    build_dir = args.build_dir.resolve()

    lib = load_pyref(build_dir)
    if lib.cgym_bench_register_inproc(b"bench") != 0:
        raise c_error(lib, "cgym_bench_register_inproc")

    service = Service(build_dir / "services" / "example_cc" / "cgym-example-service-cc")
    py_envs, c_envs = [], []
    try:
        benchmarks = {}
        for label, endpoint in (("grpc", service.endpoint), ("inproc", "inproc:bench")):
            env = cgym.CompilerEnv(endpoint, benchmark=BENCHMARK_URI)
            py_envs.append(env)
            env.reset()
            check_step(env)
            c_env = lib.cgym_bench_connect(endpoint.encode())
            if not c_env:
                raise c_error(lib, f"cgym_bench_connect({endpoint})")
            c_envs.append(c_env)
            benchmarks[f"python/step_{label}"] = python_step(env)
            benchmarks[f"capi_ref/step_{label}"] = capi_step(lib, c_env)
        results = measure(benchmarks, args.repetitions, args.min_time)
    finally:
        # Every session ends before the service is stopped, so that it exits at once.
        try:
            for env in py_envs:
                env.close()
            for c_env in c_envs:
                lib.cgym_env_free(c_env)
        finally:
            service.stop()

    out = {
        "context": {
            "repetitions": args.repetitions,
            "min_time": args.min_time,
            "smoke": args.smoke,
            "python": sys.version.split()[0],
            "cgym": cgym.version(),
            "build_dir": str(build_dir),
        },
        "benchmarks": results,
    }
    for name, r in results.items():
        print(
            f"{name:24s} {r['median'] * 1e9:12.0f} ns  ({r['iterations']} iterations x "
            f"{len(r['repetitions'])})"
        )
    if args.out:
        args.out.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
