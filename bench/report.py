#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Prints the benchmark table: each figure against its reference, from the same run.

Usage: report.py BENCH_JSON [RSS_JSON] [--python PYTHON_JSON] [--vector-rss VECTOR_JSON]
                 [--markdown]

BENCH_JSON is Google Benchmark's --benchmark_out (JSON) of cgym_bench run with repetitions;
each benchmark's value is the median over its repetitions (wall time per iteration, or steps/s
for the concurrency rows). RSS_JSON is the output of cgym_bench_rss. PYTHON_JSON is the
output (--out) of bench/bench_python.py, which has the medians of the Python rows; without
it they are "not measured". VECTOR_JSON is the output of cgym_bench_vector_rss. Exits 0
whatever the verdicts: the table is the result.
"""

import json
import statistics
import sys

# (figure, benchmark, reference, reference benchmark, kind, target)
#   kind "time": ratio = time / reference time, pass if ratio <= target
#   kind "rate": ratio = rate / reference rate, pass if ratio >= target
ROWS = [
    (
        "Step over gRPC, C API, 1 action, no observation",
        "capi/step",
        "raw gRPC ping-pong, same sizes",
        "raw/step",
        "time",
        1.10,
    ),
    (
        "Step over gRPC with the `ir` observation",
        "capi/step_ir",
        "raw gRPC ping-pong, same sizes",
        "raw/step_ir",
        "time",
        1.10,
    ),
    (
        "Step in-process, C API",
        "capi/step_inproc",
        "step over gRPC (row 1)",
        "capi/step",
        "time",
        0.01,
    ),
    (
        "Fork, then end of the fork, over gRPC",
        "capi/fork_end",
        "step over gRPC (row 1)",
        "capi/step",
        "time",
        1.5,
    ),
    (
        "Reset (end + start session) over gRPC",
        "capi/reset",
        "step over gRPC (row 1)",
        "capi/step",
        "time",
        2.0,
    ),
    (
        "Managed service: spawn, GetVersion, close",
        "capi/managed_spawn",
        "posix_spawn + wait of /bin/true",
        "ref/spawn_true",
        "time",
        10.0,
    ),
    (
        "Steps/s, 2 sessions (one thread each)",
        "capi/concurrent/2",
        "steps/s, 1 session",
        "capi/concurrent/1",
        "rate",
        1.6,
    ),
    # What gRPC itself reaches here: the same with raw ping-pongs (no target, a bound).
    (
        "  the raw gRPC ping-pong, 2 threads",
        "raw/concurrent/2",
        "raw ping-pong, 1 thread",
        "raw/concurrent/1",
        "rate",
        None,
    ),
    (
        "Steps/s, 8 sessions",
        "capi/concurrent/8",
        "steps/s, 1 session",
        "capi/concurrent/1",
        "rate",
        1.0,
    ),
    (
        "Steps/s, 64 sessions",
        "capi/concurrent/64",
        "steps/s, 1 session",
        "capi/concurrent/1",
        "rate",
        1.0,
    ),
    (
        "1 MiB observation over gRPC",
        "capi/obs_1m",
        "raw gRPC round trip of 1 MiB",
        "raw/obs_1m",
        "time",
        1.20,
    ),
    (
        "16 MiB observation over gRPC",
        "capi/obs_16m",
        "raw gRPC round trip of 16 MiB",
        "raw/obs_16m",
        "time",
        1.20,
    ),
    # Many envs at once: a vector env's steps against the same envs stepped one by one.
    (
        "Vector env, 64 example envs on 1 service: env steps/s",
        "capi/vec_step/64",
        "the same 64 envs stepped one by one (cgym_step)",
        "capi/vec_serial/64",
        "rate",
        5.0,
    ),
    (
        "Vector env, 64 example envs over 2 services",
        "capi/vec_step_2svc/64",
        "the same 64 envs stepped one by one",
        "capi/vec_serial_2svc/64",
        "rate",
        5.0,
    ),
    (
        "Vector env, 64 example envs in-process",
        "capi/vec_step_inproc/64",
        "the same 64 envs stepped one by one",
        "capi/vec_serial_inproc/64",
        "rate",
        None,
    ),
    # From PYTHON_JSON (bench/bench_python.py): figure and reference in the same Python process.
    (
        "Python `env.step(0)` through the binding, over gRPC",
        "python/step_grpc",
        "the same step through the C API, same service",
        "capi_ref/step_grpc",
        "time",
        1.15,
    ),
    (
        "Python `env.step(0)` through the binding, in-process",
        "python/step_inproc",
        "the same step through the C API, in-process",
        "capi_ref/step_inproc",
        "time",
        10.0,
    ),
]


def medians(path):
    with open(path) as f:
        data = json.load(f)
    runs = {}
    for b in data["benchmarks"]:
        if b.get("run_type") != "iteration" or b.get("error_occurred"):
            continue
        name = b.get("run_name", b["name"])
        if name.endswith("/real_time"):
            name = name[: -len("/real_time")]
        value = b["items_per_second"] if "items_per_second" in b else b["real_time"]
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b.get("time_unit", "ns")]
        runs.setdefault(name, []).append(value if "items_per_second" in b else value * scale)
    return {name: (statistics.median(v), len(v)) for name, v in runs.items()}


def python_medians(path):
    """bench_python.py's medians (seconds per step), with their repetition counts."""
    with open(path) as f:
        data = json.load(f)
    return {name: (b["median"], len(b["repetitions"])) for name, b in data["benchmarks"].items()}


def fmt(value, kind):
    if kind == "rate":
        return f"{value:,.0f} steps/s"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value / 1e-9:.3g} ns"


def main(argv):
    markdown = "--markdown" in argv
    args = [a for a in argv[1:] if a != "--markdown"]
    python_json = None
    if "--python" in args:
        i = args.index("--python")
        python_json = args[i + 1]
        del args[i : i + 2]
    vector_json = None
    if "--vector-rss" in args:
        i = args.index("--vector-rss")
        vector_json = args[i + 1]
        del args[i : i + 2]
    med = medians(args[0])
    py_med = python_medians(python_json) if python_json else {}
    med.update(py_med)
    header = ["figure", "value", "reference", "ref. value", "ratio", "target", "result"]
    table = []
    for figure, name, reference, ref_name, kind, target in ROWS:
        if target is None:
            target_text = "(context)"
        elif kind == "time" and target < 1:
            target_text = f">= {1 / target:.0f}x faster"
        elif kind == "time":
            target_text = f"<= {target:.2f}x"
        else:
            target_text = f">= {target:.2f}x" + ("" if target > 1 else " (no collapse)")
        if name not in med or ref_name not in med:
            table.append([figure, "-", reference, "-", "-", target_text, "not measured"])
            continue
        value, ref = med[name][0], med[ref_name][0]
        ratio = value / ref
        if target is None:
            verdict = None
            ratio_text = f"{ratio:.2f}x"
        elif kind == "time" and target < 1:
            verdict = ratio <= target
            ratio_text = f"{ratio:.4f} ({1 / ratio:.0f}x faster)"
        else:
            verdict = ratio <= target if kind == "time" else ratio >= target
            ratio_text = f"{ratio:.2f}x"
        table.append(
            [
                figure,
                fmt(value, kind),
                reference,
                fmt(ref, kind),
                ratio_text,
                target_text,
                "-" if verdict is None else "PASS" if verdict else "FAIL",
            ]
        )
    print_table(header, table, markdown)
    reps = sorted({n for name, (_, n) in med.items() if name not in py_med})
    print(f"\nMedians of {'/'.join(map(str, reps))} interleaved repetitions per benchmark.")
    if py_med:
        reps = sorted({n for _, n in py_med.values()})
        print(
            f"Python rows: medians of {'/'.join(map(str, reps))} interleaved repetitions "
            "(bench/bench_python.py, one Python process)."
        )

    if len(args) > 1:
        with open(args[1]) as f:
            rss = json.load(f)
        print("\nService memory (C++ example service; no target):\n")
        rows = [
            [f"peak RSS, {n} open session{'s' if n != '1' else ''}", f"{kib / 1024:.1f} MiB"]
            for n, kib in rss["peak_rss_kib"].items()
        ]
        growth = rss["rss_after_steps_kib"] - rss["rss_before_steps_kib"]
        rows.append(
            [
                f"RSS growth over {rss['steps']:,} steps (after a warm-up of "
                f"{rss['steps'] // 10:,})",
                f"{growth:+d} KiB ({rss['rss_before_steps_kib'] / 1024:.1f} -> "
                f"{rss['rss_after_steps_kib'] / 1024:.1f} MiB)",
            ]
        )
        print_table(["figure", "value"], rows, markdown)

    if vector_json:
        with open(vector_json) as f:
            print_vector_rss(json.load(f), markdown)


# Flat: the last sample no more than this above the highest sample of the first half (the
# first samples include the warm-up: allocator pools, gRPC buffers, caches of the services).
FLAT_GROWTH = 0.05


def print_vector_rss(data, markdown):
    """Client and services RSS of vector envs, sampled every N vector steps."""
    print("\nMemory of vector envs (client + services RSS, envs reset after each sample):\n")
    header = ["vector env", "after reset", "first sample", "last sample", "growth", "flat"]
    rows = []
    names = {"example": "example service", "llvm": "llvm-autophase-ic-v0"}
    for key, what in names.items():
        if key not in data:
            rows.append([what, "-", "-", "-", "-", "not measured"])
            continue
        v = data[key]
        samples = v["samples"]
        if not samples:
            rows.append([what, "-", "-", "-", "-", "no samples"])
            continue

        def total(s):
            return s["client_kib"] + s["services_kib"]

        def mib(s):
            return (
                f"{total(s) / 1024:.1f} MiB (client {s['client_kib'] / 1024:.1f}, "
                f"services {s['services_kib'] / 1024:.1f})"
            )

        first, last = samples[0], samples[-1]
        growth = total(last) - total(first)
        first_half = max(total(s) for s in samples[: max(1, len(samples) // 2)])
        flat = total(last) <= (1 + FLAT_GROWTH) * first_half
        rows.append(
            [
                f"{v['envs']:,} envs on {v['services']} services, "
                f"{v['steps']:,} steps (every {v['every']:,})",
                mib(v["after_reset"]),
                f"step {first['step']:,}: {mib(first)}",
                f"step {last['step']:,}: {mib(last)}",
                f"{growth:+,d} KiB",
                "yes" if flat else "NO",
            ]
        )
    print_table(header, rows, markdown)
    print(
        f"\nFlat: the last sample is at most {FLAT_GROWTH:.0%} above the highest of the first "
        "half of the samples."
    )


def print_table(header, rows, markdown):
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print(line)
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))


if __name__ == "__main__":
    main(sys.argv)
