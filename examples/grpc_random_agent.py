# SPDX-License-Identifier: MIT
"""A random agent that drives a libcgym service over raw gRPC, as CompilerGym's client does.

It launches the service binary in a fresh working directory, reads port.txt, fetches the
spaces, starts a session (StartSession, NOT_FOUND, AddBenchmark, StartSession), takes random
actions while printing observations, forks the session, ends both sessions and stops the
service with SIGTERM, checking that it exits with 0.

This is the main job until libcgym's own client lands; it needs only grpcio and grpcio-tools.
"""
import argparse
import importlib
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import grpc
from grpc_tools import protoc

REPO = Path(__file__).resolve().parents[1]


def load_stubs(out_dir: Path):
    """Generates Python stubs from the repo's proto and imports them."""
    proto_dir = REPO / "proto"
    include = Path(protoc.__file__).parent / "_proto"
    rc = protoc.main(
        [
            "protoc",
            f"-I{proto_dir}",
            f"-I{include}",
            f"--python_out={out_dir}",
            f"--grpc_python_out={out_dir}",
            str(proto_dir / "compiler_gym_service.proto"),
        ]
    )
    if rc != 0:
        sys.exit(f"protoc failed with {rc}")
    sys.path.insert(0, str(out_dir))
    return (
        importlib.import_module("compiler_gym_service_pb2"),
        importlib.import_module("compiler_gym_service_pb2_grpc"),
    )


def wait_for_port(working_dir: Path, process: subprocess.Popen, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    port_file = working_dir / "port.txt"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"service exited early with {process.returncode}")
        if port_file.exists():
            return int(port_file.read_text().strip())
        time.sleep(0.02)
    process.kill()
    sys.exit(f"service wrote no port.txt within {timeout} s")


def describe(event) -> str:
    kind = event.WhichOneof("value")
    value = getattr(event, kind)
    if kind.endswith("_tensor"):
        return f"{kind}{list(value.shape)}={list(value.value)}"
    return f"{kind}={value!r}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", required=True, help="path of the service binary")
    parser.add_argument("--steps", type=int, default=20, help="random steps to take")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="cgym-agent-") as tmp:
        tmp = Path(tmp)
        pb, pb_grpc = load_stubs(tmp)
        working_dir = tmp / "service"
        process = subprocess.Popen([args.service, f"--working_dir={working_dir}"])
        try:
            port = wait_for_port(working_dir, process, timeout=30)
            channel = grpc.insecure_channel(f"localhost:{port}")
            grpc.channel_ready_future(channel).result(timeout=10)
            stub = pb_grpc.CompilerGymServiceStub(channel)

            version = stub.GetVersion(pb.GetVersionRequest(), timeout=10)
            spaces = stub.GetSpaces(pb.GetSpacesRequest(), timeout=10)
            actions = list(spaces.action_space_list[0].space.named_discrete.name)
            observation_names = [s.name for s in spaces.observation_space_list]
            print(f"service {version.service_version}, compiler {version.compiler_version}, "
                  f"port {port}, actions {actions}, observations {observation_names}")

            benchmark = pb.Benchmark(
                uri="benchmark://example-compiler-v0/foo", program=pb.File(contents=b"Ir data")
            )
            request = pb.StartSessionRequest(
                benchmark=pb.Benchmark(uri=benchmark.uri),
                observation_space=list(range(len(observation_names))),
            )
            try:
                started = stub.StartSession(request, timeout=10)
            except grpc.RpcError as e:
                if e.code() != grpc.StatusCode.NOT_FOUND:
                    raise
                print(f"StartSession: {e.code().name} {e.details()!r}; sending AddBenchmark")
                stub.AddBenchmark(pb.AddBenchmarkRequest(benchmark=[benchmark]), timeout=10)
                started = stub.StartSession(request, timeout=10)
            session = started.session_id
            print(f"session {session}: initial observations "
                  + ", ".join(describe(o) for o in started.observation))

            episode = []
            for step in range(args.steps):
                action = rng.randrange(len(actions))
                episode.append(actions[action])
                reply = stub.Step(
                    pb.StepRequest(
                        session_id=session,
                        action=[pb.Event(int64_value=action)],
                        observation_space=[0, 1],
                    ),
                    timeout=10,
                )
                print(f"step {step:2d}: action {actions[action]} -> "
                      + ", ".join(describe(o) for o in reply.observation)
                      + f", done={reply.end_of_session}")
                if reply.end_of_session:
                    break

            forked = stub.ForkSession(pb.ForkSessionRequest(session_id=session), timeout=10)
            remaining = stub.EndSession(
                pb.EndSessionRequest(session_id=forked.session_id), timeout=10
            ).remaining_sessions
            print(f"forked session {forked.session_id} and ended it; {remaining} session left")
            remaining = stub.EndSession(
                pb.EndSessionRequest(session_id=session), timeout=10
            ).remaining_sessions
            print(f"episode of {len(episode)} actions: {' '.join(episode)}; "
                  f"{remaining} sessions left")
            channel.close()
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                rc = process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                rc = process.wait()
        print(f"service exited with {rc}")
        return 0 if rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
