# SPDX-License-Identifier: MIT
"""The CompilerGym wire protocol, driven through real gRPC against the example service.

Uses stubs generated from proto/compiler_gym_service.proto (see conftest.py) and makes the
calls CompilerGym's client makes (see docs/service.md), plus raw-bytes
checks of the wire encoding (sint64 zig-zag, packed and unpacked repeated fields, explicit
presence of range bounds).
"""

import grpc
import pytest

FOO = "benchmark://example-compiler-v0/foo"
BAR = "benchmark://example-compiler-v0/bar"
PROGRAM = b"Ir data"

METHOD_PREFIX = "/compiler_gym.CompilerGymService/"

# Built-in session parameters (docs/service.md).
SET_MAX = "service.benchmark_cache.set_max_size_in_bytes"
GET_MAX = "service.benchmark_cache.get_max_size_in_bytes"
GET_SIZE = "service.benchmark_cache.get_size_in_bytes"
DEFAULT_CACHE_MAX = "54525952"

# Observation space indices of the example service.
IR, FEATURES, RUNTIME = 0, 1, 2


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def benchmark(pb, uri=FOO, program=PROGRAM):
    if program is None:
        return pb.Benchmark(uri=uri)
    return pb.Benchmark(uri=uri, program=pb.File(contents=program))


def start(service, pb, uri=FOO, program=PROGRAM, **kwargs):
    request = pb.StartSessionRequest(benchmark=benchmark(pb, uri, program), **kwargs)
    return service.stub.StartSession(request)


def step(service, pb, session_id, actions=(), observations=()):
    request = pb.StepRequest(
        session_id=session_id,
        action=[pb.Event(int64_value=a) for a in actions],
        observation_space=list(observations),
    )
    return service.stub.Step(request)


def end(service, pb, session_id) -> int:
    return service.stub.EndSession(pb.EndSessionRequest(session_id=session_id)).remaining_sessions


def send_params(service, pb, session_id, *params):
    request = pb.SendSessionParameterRequest(
        session_id=session_id,
        parameter=[pb.SessionParameter(key=k, value=v) for k, v in params],
    )
    return list(service.stub.SendSessionParameter(request).reply)


def rpc_error(call, *args, **kwargs) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as info:
        call(*args, **kwargs)
    return info.value


def assert_status(error, code, details):
    assert error.code() == code, (error.code(), error.details())
    assert error.details() == details


def raw_call(service, method: str, request_bytes: bytes, timeout: float = 10.0) -> bytes:
    """A unary call with hand-made request bytes; returns the raw reply bytes."""
    call = service.channel.unary_unary(
        METHOD_PREFIX + method,
        request_serializer=lambda b: b,
        response_deserializer=lambda b: b,
    )
    return call(request_bytes, timeout=timeout)


def varint(n: int) -> bytes:
    assert n >= 0
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def tag(field: int, wire_type: int) -> bytes:
    return varint((field << 3) | wire_type)


def length_delimited(field: int, payload: bytes) -> bytes:
    return tag(field, 2) + varint(len(payload)) + payload


def assert_hello_world(event):
    assert event.WhichOneof("value") == "string_value"
    assert event.string_value == "Hello, world!"


def assert_zero_features(event):
    assert event.WhichOneof("value") == "int64_tensor"
    assert list(event.int64_tensor.shape) == [3]
    assert list(event.int64_tensor.value) == [0, 0, 0]


def assert_zero_runtime(event):
    assert event.WhichOneof("value") == "double_value"
    assert event.double_value == 0.0


OBSERVATION_CHECKS = {
    IR: assert_hello_world,
    FEATURES: assert_zero_features,
    RUNTIME: assert_zero_runtime,
}


# ---------------------------------------------------------------------------------------------
# GetVersion / GetSpaces
# ---------------------------------------------------------------------------------------------


def test_get_version(service, pb):
    reply = service.stub.GetVersion(pb.GetVersionRequest())
    assert reply.compiler_version == "1.0.0"
    assert reply.service_version == "0.2.5"


def test_get_spaces_action_space(service, pb):
    reply = service.stub.GetSpaces(pb.GetSpacesRequest())
    assert len(reply.action_space_list) == 1
    action_space = reply.action_space_list[0]
    assert action_space.name == "default"
    assert action_space.space.WhichOneof("value") == "named_discrete"
    assert action_space.space.WhichOneof("optional_type_id") is None
    assert list(action_space.space.named_discrete.name) == ["a", "b", "c"]


def test_get_spaces_observation_spaces(service, pb):
    reply = service.stub.GetSpaces(pb.GetSpacesRequest())
    spaces = reply.observation_space_list
    assert [s.name for s in spaces] == ["ir", "features", "runtime"]
    ir, features, runtime = spaces

    # ir: string_value{length_range{min: 0}}, max unset; deterministic; no default.
    assert ir.space.WhichOneof("value") == "string_value"
    length_range = ir.space.string_value.length_range
    assert ir.space.string_value.HasField("length_range")
    assert length_range.WhichOneof("optional_min") == "min"
    assert length_range.min == 0
    assert length_range.WhichOneof("optional_max") is None
    assert (ir.deterministic, ir.platform_dependent) == (True, False)
    assert not ir.HasField("default_observation")

    # features: int64_box with low = -100 x3, high = 100 x3 (sint64 values).
    assert features.space.WhichOneof("value") == "int64_box"
    box = features.space.int64_box
    assert list(box.low.shape) == [3]
    assert list(box.low.value) == [-100, -100, -100]
    assert list(box.high.shape) == [3]
    assert list(box.high.value) == [100, 100, 100]
    assert (features.deterministic, features.platform_dependent) == (False, False)
    assert not features.HasField("default_observation")

    # runtime: double_value{min: 0}, max unset; nondeterministic, platform dependent.
    assert runtime.space.WhichOneof("value") == "double_value"
    double_range = runtime.space.double_value
    assert double_range.WhichOneof("optional_min") == "min"
    assert double_range.HasField("min")
    assert double_range.min == 0.0
    assert not double_range.HasField("max")
    assert double_range.WhichOneof("optional_max") is None
    assert (runtime.deterministic, runtime.platform_dependent) == (False, True)
    assert not runtime.HasField("default_observation")

    for space in spaces:
        assert space.space.WhichOneof("optional_type_id") is None


def test_get_spaces_raw_bytes(service, pb):
    """The service's own bytes: zig-zag sint64 box bounds, explicit zero range minimums."""
    raw = raw_call(service, "GetSpaces", b"")
    # Int64Tensor{shape: [3], value: [-100]*3}: packed uint64 shape, packed zig-zag values
    # (zigzag(-100) = 199 = varint c7 01). A plain int64 encoding would be 10 bytes per value.
    low = b"\x0a\x01\x03" + b"\x12\x06" + b"\xc7\x01" * 3
    high = b"\x0a\x01\x03" + b"\x12\x06" + b"\xc8\x01" * 3  # zigzag(100) = 200
    assert length_delimited(1, low) + length_delimited(2, high) in raw
    # Space{string_value(11): StringSpace{length_range(1): Int64Range{min(1): 0}}}: the zero
    # minimum is present on the wire (oneof => explicit presence).
    assert b"\x5a\x04\x0a\x02\x08\x00" in raw
    # Space{double_value(10): DoubleRange{min(1): 0.0}} with no max.
    assert b"\x52\x09\x09" + b"\x00" * 8 in raw
    # And the whole reply parses to the same message the stub decodes.
    assert pb.GetSpacesReply.FromString(raw) == service.stub.GetSpaces(pb.GetSpacesRequest())


# ---------------------------------------------------------------------------------------------
# StartSession
# ---------------------------------------------------------------------------------------------


def test_start_session_unknown_benchmark_then_add_benchmark(service, pb):
    """NOT_FOUND for an unknown URI; found after AddBenchmark."""
    error = rpc_error(start, service, pb, uri=FOO, program=None)
    assert_status(error, grpc.StatusCode.NOT_FOUND, "Benchmark not found")

    reply = service.stub.AddBenchmark(pb.AddBenchmarkRequest(benchmark=[benchmark(pb, FOO)]))
    assert reply == pb.AddBenchmarkReply()

    first = start(service, pb, uri=FOO, program=None)
    second = start(service, pb, uri=FOO, program=None)
    assert first.session_id != second.session_id
    assert not first.HasField("new_action_space")
    assert list(first.observation) == []
    # A benchmark that was never added is still unknown.
    error = rpc_error(start, service, pb, uri=BAR, program=None)
    assert_status(error, grpc.StatusCode.NOT_FOUND, "Benchmark not found")


def test_add_benchmark_with_several_benchmarks(service, pb):
    request = pb.AddBenchmarkRequest(benchmark=[benchmark(pb, FOO), benchmark(pb, BAR, b"x")])
    service.stub.AddBenchmark(request)
    for uri in (FOO, BAR):
        start(service, pb, uri=uri, program=None)


def test_start_session_with_program_succeeds_directly(service, pb):
    reply = start(service, pb, uri=BAR, program=PROGRAM)
    assert not reply.HasField("new_action_space")
    # The program was cached: a URI-only start now finds it.
    other = start(service, pb, uri=BAR, program=None)
    assert other.session_id != reply.session_id
    assert end(service, pb, reply.session_id) == 1


def test_start_session_initial_observations(service, pb):
    reply = start(service, pb, observation_space=[IR, FEATURES, RUNTIME])
    assert len(reply.observation) == 3
    assert_hello_world(reply.observation[0])
    assert_zero_features(reply.observation[1])
    assert_zero_runtime(reply.observation[2])


@pytest.mark.parametrize("indices", [[RUNTIME, IR], [FEATURES], [IR, IR, FEATURES, IR]])
def test_start_session_observations_follow_request_order(service, pb, indices):
    reply = start(service, pb, observation_space=indices)
    assert len(reply.observation) == len(indices)
    for index, event in zip(indices, reply.observation):
        OBSERVATION_CHECKS[index](event)


def test_session_ids_are_random_and_failures_leave_no_session(service, pb):
    """Unlike CompilerGym's 0, 1, 2, ..., ids are random in [0, 2**63), so that a client
    cannot guess the ids of sessions it was not given."""
    first = start(service, pb).session_id
    rpc_error(start, service, pb, action_space=3)
    rpc_error(start, service, pb, observation_space=[IR, 9])
    rpc_error(start, service, pb, uri=BAR, program=None)
    second = start(service, pb).session_id
    assert 0 <= first < 2**63 and 0 <= second < 2**63
    assert abs(first - second) > 1
    # Failed starts left no session behind.
    assert end(service, pb, first) == 1
    assert end(service, pb, second) == 0


@pytest.mark.parametrize("index", [3, -1, 100])
def test_start_session_bad_action_space(service, pb, index):
    error = rpc_error(start, service, pb, action_space=index)
    assert_status(
        error, grpc.StatusCode.INVALID_ARGUMENT, f"Action space index out of range: {index}"
    )


@pytest.mark.parametrize("index", [3, -1])
def test_start_session_bad_observation_space(service, pb, index):
    error = rpc_error(start, service, pb, observation_space=[IR, index])
    assert_status(
        error, grpc.StatusCode.INVALID_ARGUMENT, f"Observation space index out of range: {index}"
    )


def test_start_session_empty_uri(service, pb):
    expected = "No benchmark URI set for StartSession()"
    error = rpc_error(service.stub.StartSession, pb.StartSessionRequest())
    assert_status(error, grpc.StatusCode.INVALID_ARGUMENT, expected)
    # Even with a program attached, an empty URI is rejected.
    error = rpc_error(start, service, pb, uri="", program=PROGRAM)
    assert_status(error, grpc.StatusCode.INVALID_ARGUMENT, expected)


# ---------------------------------------------------------------------------------------------
# Step
# ---------------------------------------------------------------------------------------------


def test_step_with_actions_and_observations(service, pb):
    session_id = start(service, pb).session_id
    reply = step(service, pb, session_id, actions=[0, 1, 2], observations=[IR, FEATURES, RUNTIME])
    assert reply.end_of_session is False
    assert reply.action_had_no_effect is False
    assert not reply.HasField("new_action_space")
    assert len(reply.observation) == 3
    assert_hello_world(reply.observation[0])
    assert_zero_features(reply.observation[1])
    assert_zero_runtime(reply.observation[2])


def test_step_observations_only(service, pb):
    """Zero actions plus observation indices (observation view)."""
    session_id = start(service, pb).session_id
    reply = step(service, pb, session_id, observations=[FEATURES, IR])
    assert_zero_features(reply.observation[0])
    assert_hello_world(reply.observation[1])
    assert reply.end_of_session is False


def test_step_without_actions_had_no_effect(service, pb):
    """As in CompilerGym: action_had_no_effect starts true and is AND-ed over the actions."""
    session_id = start(service, pb).session_id
    reply = step(service, pb, session_id)
    assert reply.action_had_no_effect is True
    assert reply.end_of_session is False
    assert list(reply.observation) == []


@pytest.mark.parametrize("action", [3, 100, -1, -(2**63), 2**63 - 1])
def test_step_out_of_range_action(service, pb, action):
    session_id = start(service, pb).session_id
    error = rpc_error(step, service, pb, session_id, actions=[action])
    assert_status(error, grpc.StatusCode.INVALID_ARGUMENT, "Out-of-range")
    # The session survives the error.
    reply = step(service, pb, session_id, actions=[2], observations=[IR])
    assert_hello_world(reply.observation[0])


def test_step_bad_observation_index(service, pb):
    session_id = start(service, pb).session_id
    error = rpc_error(step, service, pb, session_id, actions=[0], observations=[IR, 7])
    assert_status(
        error, grpc.StatusCode.INVALID_ARGUMENT, "Observation space index out of range: 7"
    )
    error = rpc_error(step, service, pb, session_id, observations=[-1])
    assert_status(
        error, grpc.StatusCode.INVALID_ARGUMENT, "Observation space index out of range: -1"
    )


def test_step_unknown_session(service, pb):
    error = rpc_error(step, service, pb, 999, actions=[0])
    assert_status(error, grpc.StatusCode.NOT_FOUND, "Session not found: 999")
    # An ended session is unknown too.
    session_id = start(service, pb).session_id
    end(service, pb, session_id)
    error = rpc_error(step, service, pb, session_id)
    assert_status(error, grpc.StatusCode.NOT_FOUND, f"Session not found: {session_id}")


# ---------------------------------------------------------------------------------------------
# ForkSession
# ---------------------------------------------------------------------------------------------


def test_fork_session(service, pb):
    parent = start(service, pb).session_id
    step(service, pb, parent, actions=[0, 1])
    fork = service.stub.ForkSession(pb.ForkSessionRequest(session_id=parent)).session_id
    assert fork != parent

    # Both step independently.
    fork_reply = step(service, pb, fork, actions=[2], observations=[IR])
    assert_hello_world(fork_reply.observation[0])
    parent_reply = step(service, pb, parent, actions=[1], observations=[FEATURES])
    assert_zero_features(parent_reply.observation[0])
    # An error in the fork does not end the parent (nor the fork).
    rpc_error(step, service, pb, fork, actions=[5])
    step(service, pb, parent, actions=[0])

    # Ending the parent leaves the fork usable.
    assert end(service, pb, parent) == 1
    reply = step(service, pb, fork, actions=[0], observations=[RUNTIME])
    assert_zero_runtime(reply.observation[0])
    error = rpc_error(step, service, pb, parent)
    assert_status(error, grpc.StatusCode.NOT_FOUND, f"Session not found: {parent}")

    # A fork of a fork is a new session too.
    grandchild = service.stub.ForkSession(pb.ForkSessionRequest(session_id=fork)).session_id
    assert grandchild not in (parent, fork)
    assert end(service, pb, fork) == 1
    assert end(service, pb, grandchild) == 0


def test_fork_unknown_session(service, pb):
    error = rpc_error(service.stub.ForkSession, pb.ForkSessionRequest(session_id=42))
    assert_status(error, grpc.StatusCode.NOT_FOUND, "Session not found: 42")


# ---------------------------------------------------------------------------------------------
# SendSessionParameter
# ---------------------------------------------------------------------------------------------


def test_cache_max_size_default_and_set(service, pb):
    session_id = start(service, pb).session_id
    assert send_params(service, pb, session_id, (GET_MAX, "")) == [DEFAULT_CACHE_MAX]
    assert send_params(service, pb, session_id, (SET_MAX, "1000000")) == ["1000000"]
    assert send_params(service, pb, session_id, (GET_MAX, "")) == ["1000000"]
    # Values above 2^31 (no std::stoi truncation).
    assert send_params(service, pb, session_id, (SET_MAX, "5000000000"), (GET_MAX, "")) == [
        "5000000000",
        "5000000000",
    ]


def test_cache_size_after_add_benchmark(service, pb):
    session_id = start(service, pb, uri=FOO).session_id
    (size,) = send_params(service, pb, session_id, (GET_SIZE, ""))
    assert int(size) > 0
    # Size accounting is the serialized size of the cached Benchmark messages.
    assert int(size) == benchmark(pb, FOO).ByteSize()
    service.stub.AddBenchmark(pb.AddBenchmarkRequest(benchmark=[benchmark(pb, BAR, b"abc")]))
    (size,) = send_params(service, pb, session_id, (GET_SIZE, ""))
    assert int(size) == benchmark(pb, FOO).ByteSize() + benchmark(pb, BAR, b"abc").ByteSize()


def test_shrinking_cache_evicts_benchmarks(service, pb):
    session_id = start(service, pb, uri=FOO).session_id
    replies = send_params(service, pb, session_id, (SET_MAX, "1"), (GET_SIZE, ""))
    assert replies == ["1", "0"]
    error = rpc_error(start, service, pb, uri=FOO, program=None)
    assert_status(error, grpc.StatusCode.NOT_FOUND, "Benchmark not found")
    # The running session is unaffected by the eviction.
    step(service, pb, session_id, actions=[0])


@pytest.mark.parametrize("value", ["abc", "12abc", "", "-5", "1.5"])
def test_cache_set_non_integer_is_invalid_argument(service, pb, value):
    session_id = start(service, pb).session_id
    error = rpc_error(send_params, service, pb, session_id, (SET_MAX, value))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (error.code(), error.details())
    assert SET_MAX in error.details()
    # The limit is unchanged.
    assert send_params(service, pb, session_id, (GET_MAX, "")) == [DEFAULT_CACHE_MAX]


def test_unknown_session_parameter(service, pb):
    session_id = start(service, pb).session_id
    error = rpc_error(send_params, service, pb, session_id, ("unknown.key", "x"))
    assert_status(error, grpc.StatusCode.INVALID_ARGUMENT, "Unknown parameter: unknown.key")


def test_session_parameter_unknown_session(service, pb):
    error = rpc_error(send_params, service, pb, 77, (GET_SIZE, ""))
    assert_status(error, grpc.StatusCode.NOT_FOUND, "Session not found: 77")


def test_session_parameters_reply_in_order(service, pb):
    session_id = start(service, pb).session_id
    assert send_params(service, pb, session_id) == []
    replies = send_params(
        service, pb, session_id, (SET_MAX, "123456"), (GET_MAX, ""), (GET_SIZE, "")
    )
    assert replies[:2] == ["123456", "123456"]
    assert int(replies[2]) == benchmark(pb, FOO).ByteSize()


# ---------------------------------------------------------------------------------------------
# EndSession
# ---------------------------------------------------------------------------------------------


def test_end_session_remaining_sessions(service, pb):
    """remaining_sessions is exact as sessions come and go."""
    a = start(service, pb).session_id
    b = start(service, pb).session_id
    c = service.stub.ForkSession(pb.ForkSessionRequest(session_id=a)).session_id
    assert len({a, b, c}) == 3
    assert end(service, pb, b) == 2
    d = start(service, pb).session_id
    assert d not in (a, b, c)
    assert end(service, pb, a) == 2
    assert end(service, pb, a) == 2  # Ending twice is OK and changes nothing.
    assert end(service, pb, c) == 1
    assert end(service, pb, d) == 0


def test_end_unknown_session_is_ok(service, pb):
    assert end(service, pb, 12345) == 0
    session_id = start(service, pb).session_id
    assert end(service, pb, 12345) == 1
    assert end(service, pb, session_id) == 0


# ---------------------------------------------------------------------------------------------
# Wire-level encoding (client side: our proto's types, checked byte by byte)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,encoded",
    [
        (-1, b"\x28\x01"),
        (0, b"\x28\x00"),
        (1, b"\x28\x02"),
        (-100, b"\x28\xc7\x01"),
        (2**63 - 1, b"\x28" + b"\xfe" + b"\xff" * 8 + b"\x01"),
    ],
)
def test_event_int64_value_is_zigzag(pb, value, encoded):
    """Event.int64_value is field 5, sint64: zig-zag varint; zero is still emitted (oneof)."""
    assert pb.Event(int64_value=value).SerializeToString() == encoded
    assert pb.Event.FromString(encoded).int64_value == value


def test_session_id_is_plain_int64(pb):
    assert pb.StepRequest(session_id=1).SerializeToString() == b"\x08\x01"
    assert pb.StepRequest(session_id=-1).SerializeToString() == b"\x08" + b"\xff" * 9 + b"\x01"
    assert pb.DiscreteSpace(n=1).SerializeToString() == b"\x08\x01"


def test_int64_tensor_and_range_encoding(pb):
    tensor = pb.Int64Tensor(shape=[3], value=[-100, -100, -100])
    assert tensor.SerializeToString() == b"\x0a\x01\x03\x12\x06" + b"\xc7\x01" * 3
    assert pb.Int64Range(min=0).SerializeToString() == b"\x08\x00"
    assert pb.Int64Range(max=-1).SerializeToString() == b"\x10\x01"
    assert pb.Int64Range().SerializeToString() == b""
    assert pb.DoubleRange(min=0.0).SerializeToString() == b"\x09" + b"\x00" * 8


def test_step_messages_encoding(pb):
    request = pb.StepRequest(
        session_id=1, action=[pb.Event(int64_value=2)], observation_space=[0, 1, 2]
    )
    assert (
        request.SerializeToString() == b"\x08\x01" + b"\x12\x02\x28\x04" + b"\x1a\x03\x00\x01\x02"
    )
    reply = pb.StepReply(end_of_session=True, observation=[pb.Event(string_value="Hi")])
    assert reply.SerializeToString() == b"\x08\x01" + b"\x22\x04\x42\x02Hi"
    reply = pb.StepReply(new_action_space=pb.ActionSpace())
    assert reply.HasField("new_action_space")
    assert reply.SerializeToString() == b"\x1a\x00"
    assert pb.EndSessionReply(remaining_sessions=3).SerializeToString() == b"\x08\x03"


def test_reserved_and_oneof_fields(pb):
    start_request = pb.StartSessionRequest(benchmark=pb.Benchmark(uri="u"), action_space=1)
    assert start_request.SerializeToString() == b"\x10\x01" + b"\x22\x03\x0a\x01u"
    space = pb.Space(type_id="")
    assert space.WhichOneof("optional_type_id") == "type_id"
    assert space.SerializeToString() == b"\x12\x00"


# ---------------------------------------------------------------------------------------------
# Wire-level encoding (service side: hand-made request bytes, raw reply bytes)
# ---------------------------------------------------------------------------------------------


def test_service_decodes_zigzag_actions(service, pb):
    session_id = start(service, pb).session_id
    header = b"\x08" + varint(session_id)
    # Event{int64_value: 2} is 28 04 (zigzag): accepted. A service reading plain int64 would
    # see 4 and answer Out-of-range.
    raw = raw_call(service, "Step", header + length_delimited(2, b"\x28\x04"))
    assert pb.StepReply.FromString(raw).end_of_session is False
    # Event{int64_value: -1} is 28 01: out of range. Plain int64 would read 1 (valid).
    error = rpc_error(raw_call, service, "Step", header + length_delimited(2, b"\x28\x01"))
    assert_status(error, grpc.StatusCode.INVALID_ARGUMENT, "Out-of-range")


def test_service_decodes_plain_int64_session_ids(service, pb):
    session_id = start(service, pb).session_id
    # The id as a plain varint. A sint64 reader would see another id (about half of it, or
    # negative), which names no session.
    raw = raw_call(service, "Step", b"\x08" + varint(session_id) + b"\x1a\x01\x00")
    assert_hello_world(pb.StepReply.FromString(raw).observation[0])
    error = rpc_error(raw_call, service, "Step", b"\x08\x63")  # 99, not -50.
    assert_status(error, grpc.StatusCode.NOT_FOUND, "Session not found: 99")


@pytest.mark.parametrize(
    "encoding",
    [
        b"\x18\x00\x18\x01\x18\x02",  # unpacked: one tagged varint per element
        b"\x1a\x03\x00\x01\x02",  # packed
        b"\x1a\x01\x00\x18\x01\x1a\x01\x02",  # mixed packed and unpacked (must concatenate)
    ],
    ids=["unpacked", "packed", "mixed"],
)
def test_step_accepts_unpacked_observation_space(service, pb, encoding):
    session_id = start(service, pb).session_id
    request = b"\x08" + varint(session_id) + encoding
    reply = pb.StepReply.FromString(raw_call(service, "Step", request))
    assert len(reply.observation) == 3
    assert_hello_world(reply.observation[0])
    assert_zero_features(reply.observation[1])
    assert_zero_runtime(reply.observation[2])


def test_start_session_accepts_unpacked_observation_space(service, pb):
    request = (
        length_delimited(4, benchmark(pb).SerializeToString())
        + b"\x18\x02\x18\x00"  # observation_space: [RUNTIME, IR], unpacked
    )
    reply = pb.StartSessionReply.FromString(raw_call(service, "StartSession", request))
    assert len(reply.observation) == 2
    assert_zero_runtime(reply.observation[0])
    assert_hello_world(reply.observation[1])


def test_step_reply_raw_bytes(service, pb):
    session_id = start(service, pb).session_id
    request = pb.StepRequest(session_id=session_id, observation_space=[FEATURES, IR])
    raw = raw_call(service, "Step", request.SerializeToString())
    # observation(4) = Event{int64_tensor(11): Int64Tensor{shape: packed [3], value: packed [0]*3}}
    features = length_delimited(4, length_delimited(11, b"\x0a\x01\x03\x12\x03\x00\x00\x00"))
    ir = length_delimited(4, length_delimited(8, b"Hello, world!"))
    assert features + ir in raw
    # action_had_no_effect (field 2) is true for an empty action list; nothing else is set.
    assert raw.replace(features + ir, b"") == b"\x10\x01"


def test_service_rejects_malformed_request(service):
    """Undecodable request bytes must be an error status, not a crash."""
    error = rpc_error(raw_call, service, "Step", b"\x0a\xff")  # truncated length-delimited
    assert error.code() in (grpc.StatusCode.INTERNAL, grpc.StatusCode.INVALID_ARGUMENT)
    assert service.process.poll() is None


def test_unknown_method_is_unimplemented(service):
    error = rpc_error(raw_call, service, "NoSuchMethod", b"")
    assert error.code() == grpc.StatusCode.UNIMPLEMENTED
    assert service.process.poll() is None


def test_two_clients_share_one_service(launcher, service, pb):
    """Sessions live on the service, not the connection (as in CompilerGym's threading tests)."""
    _, other_stub, _ = launcher.connect(f"127.0.0.1:{service.port}")
    mine = start(service, pb).session_id
    theirs = other_stub.StartSession(pb.StartSessionRequest(benchmark=benchmark(pb, BAR)))
    assert theirs.session_id != mine
    # Each client can drive the other's session.
    reply = other_stub.Step(pb.StepRequest(session_id=mine, observation_space=[IR]))
    assert_hello_world(reply.observation[0])
    step(service, pb, theirs.session_id, actions=[1])
    assert end(service, pb, mine) == 1
    reply = other_stub.EndSession(pb.EndSessionRequest(session_id=theirs.session_id))
    assert reply.remaining_sessions == 0
