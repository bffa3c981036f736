# SPDX-License-Identifier: MIT
"""Scale-out of the LLVM random search (`cgym random-search`) on the bundled dataset, as ratios
measured in the same run:

  (a) 2 worker processes vs 1 (target >= 1.7x on 2 cores): the searches are independent, so
      the steps/s should nearly double. Measured with the compiler in each worker's process
      ("inproc") and in a managed service per worker (the CLI's default, which survives a
      crashing pass): a managed worker is two processes, its search and its service, which
      together use more than one core (gRPC's round trip is a third of a mid-sized step), so
      2 managed workers need more than the 2 cores;
  (b) the same 2-worker search through `--ray` on a local 2-CPU Ray cluster (`ray start
      --head`, started and stopped here) vs the local 2 workers (target >= 0.85x): one actor
      call per benchmark, so Ray should cost little beyond its actors' start-up.

Each figure is the command's own "steps/s" (all steps over the search's wall time), on four
mid-sized programs of the bundled dataset (PROGRAMS).

    build/venv-python/bin/python bench/bench_scale.py [--seconds 10] [--count 4]
    build/venv-python/bin/python bench/bench_scale.py --smoke    # ~1 s per benchmark, for CI
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STEPS_RE = re.compile(r"(\d+) steps in ([\d.]+) s with (\d+) worker\(s\): ([\d.]+) steps/s")


# Mid-sized programs of the bundled dataset (hundreds to a few thousand instructions): steps
# there cost what a search on real code costs. On the smallest programs a step is mostly the
# round trip, and the client and service processes of 2 workers need more than 2 cores.
PROGRAMS = ["json", "hashtable", "lz77", "huffman"]


def search(env, seconds, count, directory, *extra) -> float:
    """steps/s of `cgym random-search` over `count` mid-sized programs of cgym-v0."""
    uris = [f"benchmark://cgym-v0/{name}" for name in PROGRAMS[:count]]
    command = [
        sys.executable, "-m", "cgym.cli", "random-search", *uris, "--time", str(seconds),
        "--seed", "1", "--output", str(Path(directory) / "states.csv"), *extra,
    ]  # fmt: skip
    result = subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        timeout=120 + 4 * seconds * count,
    )
    match = STEPS_RE.search(result.stdout)
    if result.returncode != 0 or not match:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return float(match.group(4))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RayHead:
    """`ray start --head --block` with 2 CPUs, stopped by its pid."""

    def __init__(self, env, directory):
        import ray

        port = free_port()
        self.address = f"{ray.util.get_node_ip_address()}:{port}"
        self.log = open(Path(directory) / "ray-head.log", "wb")
        ray_bin = Path(sys.executable).parent / "ray"
        self.process = subprocess.Popen(
            [str(ray_bin), "start", "--head", "--block", f"--port={port}", "--num-cpus=2",
             "--include-dashboard=false", f"--temp-dir={directory}/ray"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while True:  # the GCS port accepts connections once the head is up
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    sys.exit(f"ray start failed: see {self.log.name}")
                time.sleep(0.5)
        time.sleep(2)  # the raylet registers after the GCS listens

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", default=str(REPO / "build/release"))
    parser.add_argument("--seconds", type=float, default=10.0, help="search time per benchmark")
    parser.add_argument(
        "--count", type=int, default=4, choices=range(1, 5), help="programs of cgym-v0 (1-4)"
    )
    parser.add_argument("--smoke", action="store_true", help="1 s x 2 benchmarks per figure")
    parser.add_argument("--no-ray", action="store_true", help="skip figure (b)")
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.count = 1.0, 2
    llvm = Path(args.build_dir) / "services/llvm"
    env = dict(os.environ)
    env.setdefault("CGYM_LLVM_SERVICE", str(llvm / "cgym-llvm-service"))
    env.setdefault("CGYM_LLVM_PLUGIN", str(llvm / "libcgym-llvm.so"))
    env.setdefault("GRPC_VERBOSITY", "NONE")
    # A cluster of this run only: no token to share between its processes.
    env["RAY_AUTH_MODE"] = "disabled"
    env["RAY_USAGE_STATS_ENABLED"] = "0"
    os.environ.update(RAY_AUTH_MODE="disabled")

    rows = []
    with tempfile.TemporaryDirectory(prefix="cgym-bench-scale-") as directory:
        for endpoint in ("inproc", "managed"):
            one = search(env, args.seconds, args.count, directory, "--workers", "1",
                         "--endpoint", endpoint)  # fmt: skip
            two = search(env, args.seconds, args.count, directory, "--workers", "2",
                         "--endpoint", endpoint)  # fmt: skip
            rows.append((f"(a) 2 workers vs 1, {endpoint}", two, one, two / one, 1.7))
        if not args.no_ray:
            head = RayHead(env, directory)
            try:
                on_ray = search(env, args.seconds, args.count, directory, "--ray", head.address)
            finally:
                head.stop()
            rows.append(("(b) Ray, 2 CPUs vs 2 local workers", on_ray, two, on_ray / two, 0.85))

    names = ", ".join(PROGRAMS[: args.count])
    print(f"LLVM random search on cgym-v0's {names} x {args.seconds:g} s each")
    print(f"{'figure':<36} {'steps/s':>10} {'baseline':>10} {'ratio':>7} {'target':>7}")
    for name, value, baseline, ratio, target in rows:
        mark = "" if ratio >= target else "  (below target)"
        print(f"{name:<36} {value:>10.1f} {baseline:>10.1f} {ratio:>6.2f}x {target:>6.2f}x{mark}")


if __name__ == "__main__":
    main()
