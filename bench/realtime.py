"""Fan-out benchmark of the realtime server: prints one JSON object, never passes or fails.

Run from the repository root with the project's virtualenv (PostgreSQL and Redis running)::

    .venv/bin/python -m bench.realtime       # production's Uvicorn + pub/sub, N = 100, 500, 1000
    .venv/bin/python -m bench.realtime --clients 50 --seconds 3 --burst 50
    .venv/bin/python -m bench.realtime --server daphne,uvicorn-sansio --layer redis,pubsub

What one run does:

1. A throwaway database: PostgreSQL ``bench_realtime`` (dropped and created again through the
   ``postgres`` maintenance database), or a SQLite file with ``--database sqlite``; then
   ``manage.py migrate`` and a set-up step (``--role setup``, a subprocess with django.setup())
   that bulk-creates the people, makes one community with the project's own actions, adds
   everyone as a member, starts one conversation and writes a session for each person.
2. For each N in ``--clients``, the reference first: a bare ``websockets`` server
   (``--role reference``) that speaks just enough of the protocol (hello, subscribe with
   replay from memory, send -> ack + ``websockets.broadcast`` of a message frame shaped like
   the real one). Then the server under test for each ``--server`` x ``--layer``: Daphne or
   Uvicorn in a subprocess on a free 127.0.0.1 port, with a fresh CHANNEL_LAYER_PREFIX and,
   as in compose.yaml, ``SEARCH_INDEXING=worker`` with a ``search_index worker`` process
   beside it (``--indexing thread`` indexes in the server's own background thread instead);
   the worker's CPU is reported as ``indexer_cpu_us_per_delivery``. Each server is started
   afresh for each N, so nothing of one run leaks into the next.
3. The clients (``--role clients``): one subprocess holds all N WebSocket clients and the
   senders (each sender subscribes too, as a browser tab on the conversation page does; its
   own copies are not counted). The machine has 2 cores: one is the server's (Daphne and
   Uvicorn run on one
   thread), the other is shared by the clients, Redis and PostgreSQL. More client processes
   would only compete with the server; the driver itself sleeps while a client process runs.
   The client process uses uvloop when it is installed and parses every frame with ``json``.
   Its own CPU per delivery is reported as ``client_cpu_us_per_delivery``: where it approaches
   the time budget of a delivery, the figures measure the clients, not the server, and the
   reference's figures show that ceiling.
4. Phases, per N, after ``--warmup`` unmeasured messages (a fresh process's first sends pay
   for imports and first connections): ``latency`` (one sender, ``--rate`` messages a second
   for ``--seconds``),
   ``burst`` (``--burst`` messages pipelined round-robin over ``--senders`` people, so the
   per-person rate limit of 20 frames/s with bursts of 60 is never reached), ``catch_up``
   (one client disconnects, ``--catch-up`` messages are sent and fanned out to the others, the
   client reconnects and subscribes with its last_seq; the time from sending ``subscribe`` to
   receiving ``subscribed`` after every missed event was replayed).

Each message body carries ``p=<phase> t=<time.time_ns()> k=<n>``; the server renders it as
Markdown into ``message.html``, where the clients find it again. Server CPU is read from
/proc/<pid>/stat (utime + stime, children included) before and after each phase.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "http://localhost"
EVENT_TYPES = frozenset({"message", "edit", "delete", "reaction", "pin"})
MARK = re.compile(r"p=([a-z]+) t=(\d+)")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PHASES = ("latency", "burst", "catch_up")
RATIO_KEYS = (
    "fanout_p50_ms",
    "fanout_p99_ms",
    "delivery_p99_ms",
    "deliveries_per_second",
    "server_cpu_us_per_delivery",
    "catch_up_ms",
)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def raise_nofile() -> None:
    """Every process that holds many sockets lifts its open-file limit to the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = 1 << 20 if hard == resource.RLIM_INFINITY else hard
    if soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


# ---- CPU accounting through /proc ----------------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            data = handle.read()
    except OSError:
        return None
    # Fields after "(comm)": state is fields[0], ppid fields[1], utime fields[11], stime [12].
    return data[data.rindex(")") + 2 :].split()


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def process_tree_ticks(pid: int) -> dict[int, int]:
    """utime + stime in clock ticks of ``pid`` and every live descendant."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for candidate in _all_pids():
        fields = _stat_fields(candidate)
        if fields is None:
            continue
        parents[candidate] = int(fields[1])
        ticks[candidate] = int(fields[11]) + int(fields[12])
    tree = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in tree and child not in tree:
                tree.add(child)
                grew = True
    return {p: ticks[p] for p in tree if p in ticks}


def named_ticks(names: tuple[str, ...]) -> dict[int, int]:
    """utime + stime of every process whose command name starts with one of ``names``."""
    found: dict[int, int] = {}
    for pid in _all_pids():
        try:
            with open(f"/proc/{pid}/comm") as handle:
                comm = handle.read().strip()
        except OSError:
            continue
        if comm.startswith(names):
            fields = _stat_fields(pid)
            if fields is not None:
                found[pid] = int(fields[11]) + int(fields[12])
    return found


def machine_jiffies() -> tuple[int, int]:
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


def tick_delta(before: dict[int, int], after: dict[int, int]) -> float:
    """CPU seconds between two snapshots; processes born in between count from zero."""
    return sum(max(0, t - before.get(pid, 0)) for pid, t in after.items()) / CLK_TCK


class Meter:
    """CPU of the server under test (with children), Redis, PostgreSQL, this process and the
    machine, between two points."""

    def __init__(self, server_pid: int, indexer_pid: int | None = None) -> None:
        self.server_pid = server_pid
        self.indexer_pid = indexer_pid

    def snap(self) -> dict[str, Any]:
        times = os.times()
        return {
            "server": process_tree_ticks(self.server_pid),
            "indexer": process_tree_ticks(self.indexer_pid) if self.indexer_pid else {},
            "redis": named_ticks(("redis-server",)),
            "postgres": named_ticks(("postgres",)),
            "client": times.user + times.system,
            "machine": machine_jiffies(),
            "wall": time.monotonic(),
        }

    @staticmethod
    def report(before: dict[str, Any], after: dict[str, Any], deliveries: int) -> dict[str, Any]:
        per = 1e6 / deliveries if deliveries else None

        def us(seconds: float) -> float | None:
            return None if per is None else round(seconds * per, 2)

        busy = after["machine"][0] - before["machine"][0]
        total = after["machine"][1] - before["machine"][1]
        server = tick_delta(before["server"], after["server"])
        return {
            "server_cpu_us_per_delivery": us(server),
            "server_cpu_seconds": round(server, 3),
            "indexer_cpu_us_per_delivery": us(tick_delta(before["indexer"], after["indexer"])),
            "redis_cpu_us_per_delivery": us(tick_delta(before["redis"], after["redis"])),
            "postgres_cpu_us_per_delivery": us(tick_delta(before["postgres"], after["postgres"])),
            "client_cpu_us_per_delivery": us(after["client"] - before["client"]),
            "machine_cpu_busy_percent": round(100 * busy / total, 1) if total else None,
            "phase_seconds": round(after["wall"] - before["wall"], 3),
        }


# ---- the clients (``--role clients``) -------------------------------------------------------


class Recorder:
    """The deliveries of one phase's messages, found by the ``p=<phase>`` marker."""

    def __init__(self, name: str, receivers: int, messages: int) -> None:
        self.name = name
        self.receivers = receivers
        self.messages = messages
        self.expected = receivers * messages
        self.deliveries = 0
        self.count: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.sent_at: dict[int, int] = {}
        self.latencies: list[int] = []
        self.first_send: int | None = None
        self.last_recv: int | None = None
        self.done = asyncio.Event()
        self.acked = asyncio.Event()
        self.acks: dict[str, int] = {}
        self.ack_duplicates = 0
        self.rate_limited = 0
        self.errors: list[str] = []
        if self.expected == 0:
            self.done.set()

    def record(self, seq: int, sent: int, now: int) -> None:
        self.deliveries += 1
        self.count[seq] = self.count.get(seq, 0) + 1
        self.last[seq] = now
        self.sent_at[seq] = sent
        self.latencies.append(now - sent)
        self.last_recv = now
        if self.deliveries >= self.expected:
            self.done.set()

    def settle_ack(self) -> None:
        if len(self.acks) + len(self.errors) >= self.messages:
            self.acked.set()

    def figures(self) -> dict[str, Any]:
        fanouts = sorted(
            (self.last[s] - self.sent_at[s]) / 1e6
            for s, n in self.count.items()
            if n >= self.receivers
        )
        latencies = sorted(v / 1e6 for v in self.latencies)
        span = None
        if self.first_send is not None and self.last_recv is not None:
            span = (self.last_recv - self.first_send) / 1e9
        return {
            "fanout_p50_ms": rounded(percentile(fanouts, 0.50)),
            "fanout_p99_ms": rounded(percentile(fanouts, 0.99)),
            "fanout_max_ms": rounded(fanouts[-1] if fanouts else None),
            "delivery_p50_ms": rounded(percentile(latencies, 0.50)),
            "delivery_p99_ms": rounded(percentile(latencies, 0.99)),
            "deliveries_per_second": round(self.deliveries / span) if span else None,
            "delivered": self.deliveries,
            "expected": self.expected,
            "lost": max(0, self.expected - self.deliveries),
            "messages_sent": self.messages,
            "messages_acked": len(self.acks),
            "messages_fully_fanned_out": len(fanouts),
            "acks_marked_duplicate": self.ack_duplicates,
            "rate_limited": self.rate_limited,
            "send_errors": self.errors[:10],
        }


class Load:
    """State shared by every client of the client process."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.conversation: int = config["conversation"]
        self.run = config["run"]
        self.phases: dict[str, Recorder] = {}
        self.current = "setup"
        self.counters: dict[str, dict[str, int]] = {}
        self.recoveries: set[asyncio.Task] = set()

    def bump(self, counter: str, by: int = 1) -> None:
        phase = self.counters.setdefault(self.current, {})
        phase[counter] = phase.get(counter, 0) + by

    def counter(self, phase: str, counter: str) -> int:
        return self.counters.get(phase, {}).get(counter, 0)


WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def _apply_mask(data: bytes, mask: bytes) -> bytes:
    try:
        from websockets.speedups import apply_mask

        return apply_mask(data, mask)
    except ImportError:  # pragma: no cover - websockets without its C extension
        n = len(data)
        repeated = (mask * (n // 4 + 1))[:n]
        return (int.from_bytes(data, "big") ^ int.from_bytes(repeated, "big")).to_bytes(n, "big")


def client_frame(opcode: int, payload: bytes) -> bytes:
    """One final, masked client frame (RFC 6455 5.2)."""
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        header = bytes((0x80 | opcode, 0x80 | n))
    elif n < 65536:
        header = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        header = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
    return header + mask + _apply_mask(payload, mask)


class RawConnection(asyncio.Protocol):
    """A lean WebSocket client for the hot path: the handshake by hand, then frames parsed in
    ``data_received`` and handed to the client at once, without a task switch per frame. No
    extensions (so no compression). The default: with the websockets asyncio client, reading
    one frame costs the client process about 55 µs, 55 ms for one message on 1,000 sockets,
    which is more than the fan-out target itself."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.fragments: list[bytes] = []
        self.upgraded = False
        loop = asyncio.get_running_loop()
        self.handshake: asyncio.Future = loop.create_future()
        self.lost: asyncio.Future = loop.create_future()
        self.expected_accept = ""

    @classmethod
    async def open(cls, client: Client, url: str, cookie: str, timeout: float) -> RawConnection:
        import base64
        import hashlib
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        loop = asyncio.get_running_loop()
        _, protocol = await asyncio.wait_for(
            loop.create_connection(lambda: cls(client), parts.hostname, parts.port), timeout
        )
        key = base64.b64encode(os.urandom(16)).decode()
        protocol.expected_accept = base64.b64encode(
            hashlib.sha1((key + WS_GUID).encode()).digest()  # noqa: S324 - the RFC's hash
        ).decode()
        request = (
            f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: {ORIGIN}\r\nCookie: {cookie}\r\n\r\n"
        )
        protocol.transport.write(request.encode())
        try:
            await asyncio.wait_for(asyncio.shield(protocol.handshake), timeout)
        except BaseException:
            protocol.transport.abort()
            raise
        return protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.handshake.done():
            self.handshake.set_exception(ConnectionError("closed during the handshake"))
        if not self.lost.done():
            self.lost.set_result(None)
        if self.upgraded:
            self.client.connection_ended(self)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end]).decode("latin-1")
            del self.buffer[: end + 4]
            status = head.split("\r\n", 1)[0]
            if " 101 " not in f"{status} " or self.expected_accept not in head:
                self.handshake.set_exception(ConnectionError(f"handshake refused: {status}"))
                self.transport.close()
                return
            self.upgraded = True
            self.handshake.set_result(None)
        self.parse()

    def parse(self) -> None:
        buf = self.buffer
        n = len(buf)
        pos = 0
        on_frame = self.client.on_frame
        while n - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            length = b1 & 0x7F
            head = 2
            if length == 126:
                if n - pos < 4:
                    break
                length = int.from_bytes(buf[pos + 2 : pos + 4], "big")
                head = 4
            elif length == 127:
                if n - pos < 10:
                    break
                length = int.from_bytes(buf[pos + 2 : pos + 10], "big")
                head = 10
            mask = b""
            if b1 & 0x80:  # servers do not mask, but be lenient
                mask = bytes(buf[pos + head : pos + head + 4])
                head += 4
            end = pos + head + length
            if end > n:
                break
            payload = bytes(buf[pos + head : end])
            if mask:
                payload = _apply_mask(payload, mask)
            pos = end
            opcode = b0 & 0x0F
            if opcode in (0, 1, 2):
                if not b0 & 0x80:
                    self.fragments.append(payload)
                    continue
                if self.fragments:
                    payload = b"".join([*self.fragments, payload])
                    self.fragments.clear()
                on_frame(payload)
            elif opcode == 8:
                self.transport.write(client_frame(8, payload[:2]))
                self.transport.close()
            elif opcode == 9:
                self.transport.write(client_frame(10, payload))
        del buf[:pos]

    async def send(self, text: str) -> None:
        if self.transport is None or self.transport.is_closing():
            raise ConnectionError("closed")
        self.transport.write(client_frame(1, text.encode()))

    async def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(client_frame(8, (1000).to_bytes(2, "big")))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self.lost), 2)
        if self.transport is not None:
            self.transport.abort()


class WebsocketsConnection:
    """The websockets library's asyncio client (``--client-impl websockets``)."""

    def __init__(self, ws: Any, client: Client) -> None:
        self.ws = ws
        self.client = client
        self.task = asyncio.create_task(self.read())

    @classmethod
    async def open(
        cls, client: Client, url: str, cookie: str, timeout: float
    ) -> WebsocketsConnection:
        from websockets.asyncio.client import connect

        compression = "deflate" if client.load.config["compression"] == "deflate" else None
        ws = await connect(
            url,
            origin=ORIGIN,  # type: ignore[arg-type]
            additional_headers={"Cookie": cookie},
            compression=compression,
            open_timeout=timeout,
            ping_interval=None,
            close_timeout=2,
            proxy=None,
        )
        return cls(ws, client)

    async def read(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in self.ws:
                self.client.on_frame(raw)
        except ConnectionClosed:
            pass
        except Exception as error:  # noqa: BLE001 - a bad frame must not stop the benchmark
            self.client.problem = f"{type(error).__name__}: {error}"[:200]
            self.client.load.bump("client_errors")
        self.client.connection_ended(self)

    async def send(self, text: str) -> None:
        await self.ws.send(text)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.task, 5)


class Client:
    """One socket. Like live.js, it reconnects when the server drops it and subscribes again
    from the last sequence it holds; a sender re-sends its unacknowledged frames (same
    client_id, so nothing is stored twice). Drops and reconnections are counted."""

    def __init__(self, load: Load, session_key: str, name: str) -> None:
        self.load = load
        self.session_key = session_key
        self.name = name
        self.ws: Any = None
        self.opening = False
        self.hello: asyncio.Future | None = None
        self.reply: asyncio.Future | None = None
        self.last_seq = 0
        self.subscribed = False
        self.closing = False
        self.replayed = 0
        self.pending: dict[str, tuple[Recorder, str]] = {}
        self.problem: str | None = None
        # Senders follow the conversation as a browser tab does, but are not the receivers
        # whose deliveries are measured.
        self.measured = True

    async def open(self, timeout: float = 30.0) -> bool:
        loop = asyncio.get_running_loop()
        self.closing = False
        self.opening = True
        self.hello = loop.create_future()
        impl = RawConnection if self.load.config["client_impl"] == "raw" else WebsocketsConnection
        try:
            self.ws = await impl.open(
                self, self.load.config["url"], f"sessionid={self.session_key}", timeout
            )
            await asyncio.wait_for(self.hello, timeout)
            self.problem = None
            return True
        except Exception as error:  # noqa: BLE001 - reported, not raised
            self.problem = f"{type(error).__name__}: {error}"[:200]
            if self.ws is not None:
                self.closing = True
                with contextlib.suppress(Exception):
                    await self.ws.close()
            self.ws = None
            return False
        finally:
            self.opening = False

    def connection_ended(self, conn: Any) -> None:
        for waiter in (self.hello, self.reply):
            if waiter is not None and not waiter.done():
                waiter.set_exception(ConnectionError("closed"))
        if self.closing or self.opening or conn is not self.ws:
            return
        self.load.bump("server_closed_sockets")
        task = asyncio.create_task(self.recover())
        self.load.recoveries.add(task)
        task.add_done_callback(self.load.recoveries.discard)

    async def recover(self) -> None:
        was_subscribed, self.subscribed, self.ws = self.subscribed, False, None
        for attempt in range(5):
            await asyncio.sleep(0.2 * (attempt + 1))
            if not await self.open():
                continue
            try:
                if was_subscribed:
                    await self.subscribe(self.last_seq)
                for _recorder, text in list(self.pending.values()):
                    await self.ws.send(text)
            except Exception:  # noqa: BLE001 - try again
                continue
            self.load.bump("reconnected")
            return
        self.load.bump("gave_up_reconnecting")

    def on_frame(self, raw: str | bytes) -> None:
        now = time.time_ns()
        frame = json.loads(raw)
        kind = frame.get("type")
        load = self.load
        if kind in EVENT_TYPES:
            if frame.get("conversation") != load.conversation:
                return
            seq = frame["seq"]
            if not self.measured:
                self.last_seq = max(self.last_seq, seq)
                return
            last = self.last_seq
            if seq <= last:
                load.bump("duplicates")
                return
            if seq != last + 1:
                load.bump("sequence_gaps")
                load.bump("missing_in_gaps", seq - last - 1)
            self.last_seq = seq
            self.replayed += 1
            mark = MARK.search(frame["message"].get("html") or "")
            if mark is not None:
                recorder = load.phases.get(mark[1])
                if recorder is not None:
                    recorder.record(seq, int(mark[2]), now)
        elif kind in ("subscribed", "unsubscribed"):
            if self.reply is not None and not self.reply.done():
                self.reply.set_result(frame)
        elif kind == "hello":
            if self.hello is not None and not self.hello.done():
                self.hello.set_result(frame)
        elif kind == "ack":
            self.on_ack(frame)
        elif kind == "error":
            self.on_error(frame)
        elif kind == "reload":
            load.bump("reloads")
        elif kind not in ("presence", "read", "typing", "pong", "notification"):
            load.bump("unexpected_frames")

    def on_ack(self, frame: dict[str, Any]) -> None:
        entry = self.pending.pop(frame.get("client_id") or "", None)
        if entry is None:
            return
        recorder = entry[0]
        recorder.acks[frame["client_id"]] = frame.get("seq", 0)
        if frame.get("duplicate"):
            recorder.ack_duplicates += 1
        recorder.settle_ack()

    def on_error(self, frame: dict[str, Any]) -> None:
        code = frame.get("code", "?")
        if code == "unauthenticated":
            if self.hello is not None and not self.hello.done():
                self.hello.set_exception(PermissionError("unauthenticated"))
            return
        ref = frame.get("ref")
        entry = self.pending.get(ref) if isinstance(ref, str) else None
        if entry is None:
            self.load.bump("unexpected_frames")
            return
        recorder, text = entry
        if code == "rate_limited":
            # The same client_id again: the server stores it once whatever happens.
            recorder.rate_limited += 1
            delay = float(frame.get("retry_after") or 0.05)
            asyncio.get_running_loop().call_later(delay, self._resend, text)
            return
        self.pending.pop(ref, None)
        recorder.errors.append(f"{code}: {frame.get('message', '')}"[:120])
        recorder.settle_ack()

    def _resend(self, text: str) -> None:
        if self.ws is not None:
            task = asyncio.ensure_future(self.ws.send(text))  # type: ignore[arg-type]
            task.add_done_callback(lambda t: t.cancelled() or t.exception())

    async def request(self, frame: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
        self.reply = asyncio.get_running_loop().create_future()
        await self.ws.send(json.dumps(frame))
        return await asyncio.wait_for(self.reply, timeout)

    async def subscribe(self, last_seq: int | None, timeout: float = 30.0) -> dict[str, Any]:
        frame: dict[str, Any] = {"type": "subscribe", "conversation": self.load.conversation}
        if last_seq is not None:
            frame["last_seq"] = last_seq
        reply = await self.request(frame, timeout)
        if reply.get("type") == "subscribed":
            self.subscribed = True
            if reply.get("reload"):
                self.load.bump("reloads")
            self.last_seq = max(self.last_seq, int(reply.get("last_seq") or 0))
        return reply

    async def unsubscribe(self, timeout: float = 30.0) -> None:
        await self.request({"type": "unsubscribe", "conversation": self.load.conversation}, timeout)
        self.subscribed = False

    async def send_message(self, recorder: Recorder, k: int) -> None:
        client_id = f"{self.load.run}-{recorder.name}-{k}"
        sent = time.time_ns()
        text = json.dumps(
            {
                "type": "send",
                "conversation": self.load.conversation,
                "client_id": client_id,
                "ref": client_id,
                "body": f"bench p={recorder.name} t={sent} k={k}",
            }
        )
        self.pending[client_id] = (recorder, text)
        if recorder.first_send is None:
            recorder.first_send = sent
        if self.ws is None:
            return  # reconnecting: recover() sends everything pending
        with contextlib.suppress(Exception):
            await self.ws.send(text)

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        self.ws = None
        self.subscribed = False


async def bounded(coroutines: list, limit: int) -> list:
    gate = asyncio.Semaphore(limit)

    async def one(coroutine):  # type: ignore[no-untyped-def]
        async with gate:
            return await coroutine

    return await asyncio.gather(*(one(c) for c in coroutines), return_exceptions=True)


def detect_layer(config: dict[str, Any]) -> str:
    """Which channel layer the server really uses, from what it leaves in Redis."""
    redis_url, prefix = config.get("redis_url"), config.get("prefix")
    if not redis_url or not prefix:
        return "none"
    try:
        import redis

        client = redis.Redis.from_url(redis_url, socket_timeout=5)
        group = f"conversation.{config['conversation']}"
        if client.exists(f"{prefix}:group:{group}"):
            return "redis"
        if client.pubsub_channels(f"{prefix}__group__{group}"):
            return "pubsub"
        return "unknown"
    except Exception as error:  # noqa: BLE001
        return f"unknown ({type(error).__name__})"


async def wait_event(event: asyncio.Event, timeout: float) -> bool:
    try:
        await asyncio.wait_for(event.wait(), max(0.1, timeout))
        return True
    except TimeoutError:
        return False


def drain_timeout(expected: int, floor: float = 20.0) -> float:
    """Long enough for a slow server (2,000 deliveries a second), bounded at three minutes."""
    return min(180.0, floor + expected / 2000)


class Run:
    """The phases of one client process, against one server."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.label = config["label"]
        self.load = Load(config)
        self.meter = Meter(config["server_pid"], config.get("indexer_pid"))
        self.receivers = [Client(self.load, k, f"r{i}") for i, k in enumerate(config["receivers"])]
        self.senders = [Client(self.load, k, f"s{i}") for i, k in enumerate(config["senders"])]
        self.live: list[Client] = []
        self.setup: dict[str, Any] = {}

    async def connect(self) -> bool:
        concurrency = self.config["connect_concurrency"]
        started = time.monotonic()
        await bounded([c.open() for c in self.senders + self.receivers], concurrency)
        self.setup["connect_seconds"] = round(time.monotonic() - started, 2)
        live = [c for c in self.receivers if c.ws is not None]
        self.senders = [c for c in self.senders if c.ws is not None]
        self.setup["connected"] = len(live)
        self.setup["senders_connected"] = len(self.senders)
        problems = [c.problem for c in self.receivers + self.senders if c.problem]
        if problems:
            self.setup["connect_problems"] = problems[:5]
        if not live or not self.senders:
            return False
        log(f"{self.label}: {len(live)} clients connected in {self.setup['connect_seconds']} s")
        started = time.monotonic()
        first = await live[0].subscribe(None)  # learns the conversation's current sequence
        results = await bounded([c.subscribe(first.get("last_seq")) for c in live[1:]], concurrency)
        self.setup["subscribe_seconds"] = round(time.monotonic() - started, 2)
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            self.setup["subscribe_problems"] = [repr(f)[:200] for f in failures[:5]]
        self.live = [c for c in live if c.subscribed]
        # A sender is a tab on the conversation page: subscribed, as live.js is, before it
        # sends (the server then reuses the conversation it checked at subscribe).
        for sender in self.senders:
            sender.measured = False
            await sender.subscribe(first.get("last_seq"))
        self.setup["subscribed"] = len(self.live)
        self.setup["layer_effective"] = detect_layer(self.config)
        self.setup["events"] = self.load.counters.get("setup", {})
        log(f"{self.label}: {len(self.live)} subscribed in {self.setup['subscribe_seconds']} s")
        await asyncio.sleep(1.0)  # let presence and other set-up traffic settle
        await self.warm_up()
        return bool(self.live)

    async def warm_up(self) -> None:
        """A few unmeasured messages first, as a server that has been up for a while has sent:
        the first sends of a fresh process pay for imports, its database threads' first
        connections and the search indexer's start, which no later message pays again."""
        count = self.config["warmup"]
        if not count:
            return
        recorder = self.load.phases["warmup"] = Recorder("warmup", len(self.live), count)
        for k in range(count):
            await self.senders[0].send_message(recorder, k)
            await asyncio.sleep(1 / self.config["rate"])
        await wait_event(recorder.done, drain_timeout(recorder.expected, 15.0))
        self.setup["warmup_delivered"] = recorder.deliveries
        await asyncio.sleep(0.5)

    async def latency(self) -> dict[str, Any]:
        """One sender at a steady rate."""
        config = self.config
        count = max(1, round(config["rate"] * config["seconds"]))
        recorder = self.load.phases["latency"] = Recorder("latency", len(self.live), count)
        before = self.meter.snap()
        loop = asyncio.get_running_loop()
        start = loop.time()
        for k in range(count):
            await asyncio.sleep(max(0.0, start + k / config["rate"] - loop.time()))
            await self.senders[0].send_message(recorder, k)
        await wait_event(recorder.done, drain_timeout(recorder.expected, 15.0))
        after = self.meter.snap()
        await wait_event(recorder.acked, 5)
        return self.row("latency", recorder, Meter.report(before, after, recorder.deliveries))

    async def burst(self) -> dict[str, Any]:
        """Pipelined, round-robin over the senders, without waiting for acks."""
        count = self.config["burst"]
        recorder = self.load.phases["burst"] = Recorder("burst", len(self.live), count)
        before = self.meter.snap()
        for k in range(count):
            await self.senders[k % len(self.senders)].send_message(recorder, k)
        await wait_event(recorder.done, drain_timeout(recorder.expected))
        after = self.meter.snap()
        await wait_event(recorder.acked, 10)
        return self.row("burst", recorder, Meter.report(before, after, recorder.deliveries))

    async def catch_up(self) -> dict[str, Any]:
        """One client misses ``catch_up`` messages and comes back with its last_seq. In the
        quiet mode the others unsubscribe first, so only the replay is measured; in the live
        mode they receive the messages too (N - 1 more deliveries per message)."""
        count = self.config["catch_up"]
        quiet = self.config["catch_up_mode"] == "quiet"
        late = self.live[-1]
        others = [c for c in self.live if c is not late and c.ws is not None]
        await late.close()
        if quiet:
            await bounded([c.unsubscribe() for c in others], self.config["connect_concurrency"])
            others = []
        await asyncio.sleep(0.5)  # the server handles the disconnect before the messages
        recorder = self.load.phases["catchup"] = Recorder("catchup", len(others), count)
        fan_before = self.meter.snap()
        for k in range(count):
            await self.senders[k % len(self.senders)].send_message(recorder, k)
        # Every send must be stored before the late client comes back; a server takes tens of
        # milliseconds per send, so allow a quarter of a second each.
        acked = await wait_event(recorder.acked, max(drain_timeout(count * 10), count / 4))
        await wait_event(recorder.done, drain_timeout(recorder.expected))
        fan_after = self.meter.snap()
        figures = recorder.figures()
        # Replays are recorded apart: their latency since sending means nothing.
        replay = self.load.phases["catchup"] = Recorder("catchup", 1, count)
        result: dict[str, Any] = {
            "catch_up_ms": None,
            "replayed": 0,
            "reload": None,
            "all_sends_acked_before_reconnect": acked,
        }
        opened = time.perf_counter_ns()
        if await late.open():
            result["reconnect_ms"] = round((time.perf_counter_ns() - opened) / 1e6, 2)
            late.replayed = 0
            before = self.meter.snap()
            t0 = time.perf_counter_ns()
            try:
                reply = await late.subscribe(late.last_seq, timeout=30)
                result["catch_up_ms"] = round((time.perf_counter_ns() - t0) / 1e6, 2)
                result["replayed"] = late.replayed
                result["reload"] = bool(reply.get("reload"))
            except Exception as error:  # noqa: BLE001
                result["catch_up_error"] = repr(error)[:200]
        else:
            before = self.meter.snap()
            result["catch_up_error"] = late.problem
        after = self.meter.snap()
        if quiet:
            # The server's CPU for the subscribe and its replay alone, per replayed event
            # (clock ticks of 10 ms: coarse for a replay of tens of milliseconds).
            cpu = Meter.report(before, after, replay.deliveries)
            figures["messages_per_second"] = (
                round(count / (fan_after["wall"] - fan_before["wall"]), 1)
                if recorder.acked.is_set()
                else None
            )
        else:
            cpu = Meter.report(fan_before, after, recorder.deliveries + replay.deliveries)
        row = self.row("catch_up", recorder, cpu)
        row.update(figures)
        row.update(result)
        row["catch_up_mode"] = self.config["catch_up_mode"]
        row["delivered"] = recorder.deliveries + replay.deliveries
        row["expected"] = recorder.expected + count
        row["lost"] = max(0, row["expected"] - row["delivered"])
        row["catch_up_complete"] = result["replayed"] == count and not result["reload"]
        return row

    def row(self, phase: str, recorder: Recorder, cpu: dict[str, Any]) -> dict[str, Any]:
        load = self.load
        row: dict[str, Any] = {"phase": phase}
        row.update(recorder.figures())
        row.update(cpu)
        for counter in (
            "sequence_gaps",
            "missing_in_gaps",
            "duplicates",
            "reloads",
            "server_closed_sockets",
            "reconnected",
            "gave_up_reconnecting",
            "unexpected_frames",
            "client_errors",
        ):
            row[counter] = load.counter(phase, counter)
        return row

    async def main(self) -> dict[str, Any]:
        raise_nofile()
        if not await self.connect():
            return {"setup": self.setup, "rows": [], "error": "no clients could connect"}
        rows = []
        for phase in PHASES:
            self.load.current = phase
            try:
                row = await getattr(self, phase)()
            except Exception as error:  # noqa: BLE001 - reported in the JSON
                row = {"phase": phase, "error": f"{type(error).__name__}: {error}"[:300]}
            rows.append(row)
            log(f"{self.label}: {phase} {summary(row)}")
            await asyncio.sleep(0.5)
        self.load.current = "teardown"
        for task in list(self.load.recoveries):
            task.cancel()
        await bounded([c.close() for c in self.receivers + self.senders], 200)
        return {"setup": self.setup, "rows": rows}


def summary(row: dict[str, Any]) -> str:
    keys = (
        "fanout_p50_ms",
        "fanout_p99_ms",
        "deliveries_per_second",
        "catch_up_ms",
        "delivered",
        "expected",
        "sequence_gaps",
        "server_closed_sockets",
        "server_cpu_us_per_delivery",
        "client_cpu_us_per_delivery",
        "error",
    )
    return " ".join(f"{k}={row[k]}" for k in keys if row.get(k) is not None)


def run_clients_role(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    if config.get("client_loop") == "uvloop":
        import uvloop

        result = uvloop.run(Run(config).main())
    else:
        result = asyncio.run(Run(config).main())
    print(json.dumps(result))


# ---- the reference server (``--role reference``) --------------------------------------------


async def reference_main(port: int) -> None:
    """A bare websockets broadcast server with just enough of the protocol for the clients."""
    from websockets.asyncio.server import broadcast, serve

    raise_nofile()
    subscribers: set = set()
    events: list[str] = []  # the encoded frame of seq n at events[n - 1]
    state = {"conversation": 0, "seq": 0}

    def dump(frame: dict[str, Any]) -> str:
        return json.dumps({"v": 1, **frame})

    async def handler(ws) -> None:  # type: ignore[no-untyped-def]
        hello = {"type": "hello", "person": 0, "limits": {"message_chars": 10000}}
        await ws.send(dump(hello))
        try:
            async for raw in ws:
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "subscribe":
                    state["conversation"] = frame["conversation"]
                    subscribers.add(ws)
                    last = frame.get("last_seq")
                    if isinstance(last, int):
                        for text in events[last:]:
                            await ws.send(text)
                    reply = {
                        "type": "subscribed",
                        "conversation": frame["conversation"],
                        "last_seq": state["seq"],
                        "online": [],
                        "ref": frame.get("ref"),
                    }
                    await ws.send(dump(reply))
                elif kind == "unsubscribe":
                    subscribers.discard(ws)
                    await ws.send(dump({**frame, "type": "unsubscribed"}))
                elif kind == "send":
                    state["seq"] += 1
                    seq = state["seq"]
                    message = {
                        "id": seq,
                        "seq": seq,
                        "author": {"id": 1, "name": "Bench Sender"},
                        "reply_to": None,
                        "html": f"<p>{html.escape(frame['body'])}</p>\n",
                        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
                        "edited": False,
                        "deleted": False,
                        "pinned": False,
                        "reactions": {},
                    }
                    text = dump(
                        {
                            "type": "message",
                            "conversation": frame["conversation"],
                            "seq": seq,
                            "message": message,
                        }
                    )
                    events.append(text)
                    broadcast(subscribers, text)
                    ack = {
                        "type": "ack",
                        "ref": frame.get("ref"),
                        "client_id": frame.get("client_id"),
                        "conversation": frame["conversation"],
                        "message": seq,
                        "seq": seq,
                        "duplicate": False,
                    }
                    await ws.send(dump(ack))
                elif kind == "ping":
                    await ws.send(dump({"type": "pong", "ref": frame.get("ref")}))
        finally:
            subscribers.discard(ws)

    async with serve(
        handler, "127.0.0.1", port, ping_interval=20, ping_timeout=20, backlog=1024
    ) as server:
        await server.serve_forever()


# ---- database set-up (``--role setup`` / ``--role reset``) ----------------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def run_setup_role(people: int, senders: int, visibility: str) -> None:
    """People, one community with everyone in it, one conversation and a session each.
    Prints {"conversation", "community", "senders": [keys], "receivers": [keys]}."""
    _django()
    from datetime import timedelta
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from groups import actions
    from groups.models import Membership, Role
    from profiles.models import Person

    password = make_password(None)  # unusable; sessions are written directly
    stamp = uuid.uuid4().hex[:8]
    created = Person.objects.bulk_create(
        [
            Person(
                email=f"bench-{stamp}-{i}@bench.invalid",
                display_name=f"Bench {'Sender' if i < senders else 'Reader'} {i}",
                password=password,
            )
            for i in range(people)
        ]
    )
    owner = created[0]
    community = actions.community_create(
        creator=owner,
        name=f"Realtime bench {stamp}",
        description="A throwaway community for bench/realtime.py.",
        visibility=visibility,
    )
    Membership.objects.bulk_create(
        [Membership(community=community, person=p, role=Role.MEMBER) for p in created[1:]]
    )
    conversation, _ = actions.conversation_create(
        author=owner,
        community=community,
        title="Fan-out benchmark",
        body="The benchmark starts here.",
        client_id=f"bench-start-{stamp}",
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    backend = "django.contrib.auth.backends.ModelBackend"
    expires = timezone.now() + timedelta(days=1)
    sessions = [
        Session(
            session_key=get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789"),
            session_data=store.encode(
                {
                    SESSION_KEY: str(person.pk),
                    BACKEND_SESSION_KEY: backend,
                    HASH_SESSION_KEY: person.get_session_auth_hash(),
                }
            ),
            expire_date=expires,
        )
        for person in created
    ]
    Session.objects.bulk_create(sessions)
    keys = [s.session_key for s in sessions]
    print(
        json.dumps(
            {
                "conversation": conversation.pk,
                "community": community.pk,
                "senders": keys[:senders],
                "receivers": keys[senders:],
            }
        )
    )


def run_reset_role() -> None:
    """Forget the presence rows of earlier server processes."""
    _django()
    from groups.models import Presence

    Presence.objects.all().delete()


# ---- the driver ----------------------------------------------------------------------------


class Child:
    """A subprocess this benchmark started, with its output in a log file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], logdir: Path) -> None:
        self.name = name
        self.log_path = logdir / f"{name}.log"
        self.handle = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.handle, stderr=subprocess.STDOUT
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_for_port(self, port: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.tail()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.name} does not listen on {port}:\n{self.tail()}")

    def tail(self, chars: int = 3000) -> str:
        return self.log_path.read_bytes()[-chars:].decode(errors="replace")

    def log_lines(self, needle: str) -> int:
        return sum(needle in line for line in self.log_path.read_text(errors="replace").split("\n"))

    def exceptions(self) -> dict[str, int]:
        """The server's "Exception inside application: ..." log lines, counted by message."""
        found: dict[str, int] = {}
        for line in self.log_path.read_text(errors="replace").split("\n"):
            # Daphne: "Exception inside application: <error>"; Uvicorn: "Exception in ASGI
            # application" (its error closes the traceback that follows).
            if line.startswith(("Exception inside application", "Exception in ASGI application")):
                message = line.split(":", 1)[-1].strip()[:200]
                found[message] = found.get(message, 0) + 1
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.handle.close()


def server_command(server: str, port: int) -> list[str]:
    if server.startswith("uvicorn"):
        # "uvicorn" runs the websockets library's asyncio protocol, "uvicorn-sansio" its
        # sans-I/O protocol (no per-frame drain).
        ws = "websockets-sansio" if server == "uvicorn-sansio" else "websockets"
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "hub.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--ws",
            ws,
            "--ws-ping-interval",
            "20",
            "--ws-ping-timeout",
            "20",
            "--lifespan",
            "off",
            "--no-access-log",
            "--log-level",
            "warning",
            "--backlog",
            "4096",
        ]
    return [
        sys.executable,
        "-m",
        "daphne",
        "-b",
        "127.0.0.1",
        "-p",
        str(port),
        "-v",
        "1",
        "hub.asgi:application",
    ]


def prepare_database(args: argparse.Namespace) -> str:
    if args.database == "sqlite":
        path = Path(tempfile.gettempdir()) / f"{args.db_name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    name = sql.Identifier(args.db_name)
    with psycopg.connect(args.postgres_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
    return urlsplit(args.postgres_url)._replace(path=f"/{args.db_name}").geturl()


def base_env(args: argparse.Namespace, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": args.settings,
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "DEBUG": "0",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def me(role: str, *extra: str) -> list[str]:
    # As a module from the repository root: run as a file, bench/ would come first on sys.path
    # and this realtime.py would shadow the project's realtime app.
    return [sys.executable, "-m", "bench.realtime", "--role", role, *extra]


def set_up_data(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    people = args.senders + max(args.clients)
    result = subprocess.run(
        me("setup", "--people", str(people), "--senders", str(args.senders))
        + ["--visibility", args.visibility],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
        stdout=subprocess.PIPE,
    )
    data = json.loads(result.stdout.decode().strip().splitlines()[-1])
    log(f"database ready in {time.monotonic() - started:.1f} s ({people} people)")
    return data


def run_clients(
    args: argparse.Namespace, data: dict[str, Any], n: int, url: str, label: str, **extra: Any
) -> dict[str, Any]:
    config = {
        "url": url,
        "label": label,
        "run": uuid.uuid4().hex[:12],
        "conversation": data["conversation"],
        "receivers": data["receivers"][:n],
        "senders": data["senders"],
        "rate": args.rate,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "burst": args.burst,
        "catch_up": args.catch_up,
        "catch_up_mode": args.catch_up_mode,
        "compression": args.compression,
        "connect_concurrency": args.connect_concurrency,
        "client_loop": args.client_loop,
        "client_impl": args.client_impl,
        **extra,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(config, handle)
    try:
        result = subprocess.run(
            me("clients", "--config", handle.name),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            timeout=args.client_timeout,
        )
    except subprocess.TimeoutExpired:
        return {"rows": [], "error": f"the client process ran over {args.client_timeout} s"}
    finally:
        os.unlink(handle.name)
    lines = result.stdout.decode().strip().splitlines()
    if result.returncode != 0 or not lines:
        return {"rows": [], "error": f"the client process failed ({result.returncode})"}
    return json.loads(lines[-1])


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average_at_start": [round(v, 2) for v in os.getloadavg()],
        "clock_ticks_per_second": CLK_TCK,
        "open_files_limit": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 2**20, 1)
                break
    versions = {}
    for package in ("django", "channels", "channels-redis", "daphne", "uvicorn", "websockets"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions[package] = importlib.metadata.version(package)
    info["versions"] = versions
    return info


def add_ratios(results: list[dict[str, Any]], reference: list[dict[str, Any]]) -> None:
    by_key = {(r["clients"], r["phase"]): r for r in reference}
    for row in results:
        ref = by_key.get((row["clients"], row["phase"]))
        ratios: dict[str, float | None] = {}
        for key in RATIO_KEYS:
            mine, theirs = row.get(key), (ref or {}).get(key)
            if isinstance(mine, int | float) and isinstance(theirs, int | float) and theirs:
                ratios[key] = round(mine / theirs, 2)
        row["ratio_to_reference"] = ratios


# (target, clients or "largest" or "each", phase, figure, operator, limit)
TARGETS: tuple[tuple[str, int | str, str, str, str, float], ...] = (
    ("fan-out p50 at 1000 clients, 5 msg/s", 1000, "latency", "fanout_p50_ms", "<=", 50),
    ("fan-out p99 at 1000 clients, 5 msg/s", 1000, "latency", "fanout_p99_ms", "<=", 150),
    ("fan-out p99 at 100 clients, 5 msg/s", 100, "latency", "fanout_p99_ms", "<=", 20),
    ("burst deliveries/s (largest N)", "largest", "burst", "deliveries_per_second", ">=", 20000),
    ("catch-up of the missed events", "each", "catch_up", "catch_up_ms", "<=", 200),
)


def evaluate_targets(rows: list[dict[str, Any]]) -> dict[str, Any]:
    checks: list[dict[str, Any]] = []
    measured = sorted({r["clients"] for r in rows})
    for target, which, phase, figure, op, limit in TARGETS:
        if which == "each":
            sizes: list[Any] = measured or [None]
        elif which == "largest":
            sizes = measured[-1:] or [None]
        else:
            sizes = [which]
        for n in sizes:
            row = next((r for r in rows if r["clients"] == n and r["phase"] == phase), None)
            value = None if row is None else row.get(figure)
            met = None
            if value is not None:
                met = value <= limit if op == "<=" else value >= limit
            checks.append(
                {
                    "target": target,
                    "clients": n,
                    "phase": phase,
                    "figure": figure,
                    "limit": f"{op} {limit}",
                    "value": value,
                    "met": met,
                }
            )
    for row in rows:
        value = sum(row.get(k) or 0 for k in ("lost", "sequence_gaps", "duplicates"))
        checks.append(
            {
                "target": "zero lost, zero gaps, zero duplicates",
                "clients": row["clients"],
                "phase": row["phase"],
                "figure": "lost + sequence_gaps + duplicates",
                "limit": "== 0",
                "value": value,
                "met": value == 0 and row["phase"] != "setup",
            }
        )
    verdicts = [c["met"] for c in checks]
    return {
        "all_met": None if None in verdicts or not verdicts else all(verdicts),
        "unmeasured": sum(v is None for v in verdicts),
        "checks": checks,
    }


def driver(args: argparse.Namespace) -> dict[str, Any]:
    raise_nofile()  # inherited by every child
    logdir = Path(tempfile.mkdtemp(prefix="bench-realtime-"))
    output: dict[str, Any] = {
        "machine": machine_info(),
        "settings": {
            "clients": args.clients,
            "seconds": args.seconds,
            "rate": args.rate,
            "warmup": args.warmup,
            "burst": args.burst,
            "catch_up": args.catch_up,
            "catch_up_mode": args.catch_up_mode,
            "senders": args.senders,
            "database": args.database,
            "django_settings": args.settings,
            "visibility": args.visibility,
            "compression": args.compression,
            "client_loop": args.client_loop,
            "client_impl": args.client_impl,
            "client_processes": 1,
            "search_indexing": args.indexing,
            "logs": str(logdir),
        },
        "results": [],
        "reference": [],
    }
    database_url = prepare_database(args)
    env = base_env(args, database_url)
    data = set_up_data(args, env)
    children: list[Child] = []
    try:
        for n in args.clients:
            if not args.no_reference:
                port = free_port()
                child = Child(f"reference-{n}", me("reference", "--port", str(port)), env, logdir)
                children.append(child)
                child.wait_for_port(port)
                url = f"ws://127.0.0.1:{port}/ws/"
                outcome = run_clients(args, data, n, url, f"reference N={n}", server_pid=child.pid)
                child.stop()
                output["reference"].extend(
                    rows_of(outcome, {"server": "websockets", "layer": "none", "clients": n})
                )
            for server in args.server:
                for layer in args.layer:
                    subprocess.run(me("reset"), cwd=ROOT, env=env, check=True, timeout=120)
                    prefix = f"bench-{uuid.uuid4().hex[:10]}"
                    server_env = {
                        **env,
                        "REDIS_URL": args.redis_url,
                        "CHANNEL_LAYER_PREFIX": prefix,
                        "CHANNEL_LAYER_BACKEND": layer,
                        "REALTIME_RATE_LIMIT_PER_SECOND": str(args.rate_limit),
                        "SEARCH_INDEXING": args.indexing,
                    }
                    port = free_port()
                    name = f"{server}-{layer}-{n}"
                    indexer = None
                    if args.indexing == "worker":
                        # As in compose.yaml: the indexing worker beside the server.
                        indexer = Child(
                            f"indexer-{name}",
                            [sys.executable, "manage.py", "search_index", "worker"],
                            server_env,
                            logdir,
                        )
                        children.append(indexer)
                    child = Child(name, server_command(server, port), server_env, logdir)
                    children.append(child)
                    child.wait_for_port(port)
                    outcome = run_clients(
                        args,
                        data,
                        n,
                        f"ws://127.0.0.1:{port}/ws/",
                        f"{server}+{layer} N={n}",
                        server_pid=child.pid,
                        indexer_pid=indexer.pid if indexer else None,
                        redis_url=args.redis_url,
                        prefix=prefix,
                    )
                    alive = child.process.poll() is None
                    child.stop()
                    if indexer is not None:
                        indexer.stop()
                    context = {
                        "server": server,
                        "layer": layer,
                        "layer_effective": (outcome.get("setup") or {}).get("layer_effective"),
                        "clients": n,
                        "server_survived": alive,
                        "server_exceptions": child.exceptions(),
                        "layer_over_capacity_logs": child.log_lines("over capacity"),
                    }
                    output["results"].extend(rows_of(outcome, context))
    finally:
        for child in children:
            with contextlib.suppress(Exception):
                child.stop()
    add_ratios(output["results"], output["reference"])
    targets: dict[str, Any] = {}
    for server in args.server:
        for layer in args.layer:
            rows = [r for r in output["results"] if r["server"] == server and r["layer"] == layer]
            targets[f"{server}+{layer}"] = evaluate_targets(rows)
    if output["reference"]:
        targets["reference (websockets)"] = evaluate_targets(output["reference"])
    output["targets"] = targets
    return output


def rows_of(outcome: dict[str, Any], context: dict[str, Any]) -> list[dict[str, Any]]:
    setup = outcome.get("setup") or {}
    if not outcome.get("rows"):
        return [{**context, "phase": "setup", "error": outcome.get("error"), "setup": setup}]
    return [{**context, **row, "setup": setup} for row in outcome["rows"]]


def numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def words(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.realtime",
        description="Realtime fan-out benchmark: prints one JSON object to stdout.",
    )
    parser.add_argument("--clients", type=numbers, default=[100, 500, 1000])
    # 30 s at 5 a second: 150 messages, so the p99 is not simply the slowest one.
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the latency phase")
    parser.add_argument("--rate", type=float, default=5.0, help="messages a second (latency)")
    parser.add_argument(
        "--warmup", type=int, default=10, help="unmeasured messages before the phases"
    )
    parser.add_argument("--burst", type=int, default=200, help="messages in the burst phase")
    parser.add_argument("--catch-up", type=int, default=500, help="messages missed (catch-up)")
    parser.add_argument(
        "--catch-up-mode",
        choices=("quiet", "live"),
        default="quiet",
        help="quiet: the other clients unsubscribe while the missed messages are sent; "
        "live: they stay subscribed and receive them",
    )
    parser.add_argument("--senders", type=int, default=20, help="sending people, round-robin")
    parser.add_argument(
        "--server",
        type=lambda text: [w for w in words(text) if w != "none"],
        default=["uvicorn-sansio"],
        help="uvicorn-sansio (production's), uvicorn, daphne, several (comma-separated) or none",
    )
    parser.add_argument(
        "--layer", type=words, default=["pubsub"], help="pubsub (production's), redis or both"
    )
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--db-name", default="bench_realtime")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--settings",
        default="hub.settings.dev",
        help="DJANGO_SETTINGS_MODULE (run with DEBUG=0; hub.settings.test closes the "
        "database connection after every frame)",
    )
    parser.add_argument(
        "--indexing",
        choices=("worker", "thread", "now"),
        default="worker",
        help="SEARCH_INDEXING of the server: worker (compose.yaml's: a search_index worker "
        "process beside it), thread (its own background thread) or now",
    )
    parser.add_argument("--visibility", choices=("open", "private"), default="private")
    parser.add_argument(
        "--client-impl",
        choices=("raw", "websockets"),
        default="raw",
        help="raw: a lean asyncio.Protocol client (cheapest per frame); websockets: the "
        "websockets library's asyncio client",
    )
    parser.add_argument(
        "--compression",
        choices=("none", "deflate"),
        default="none",
        help="offer permessage-deflate (only with --client-impl websockets)",
    )
    parser.add_argument("--rate-limit", type=int, default=1000)
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--client-timeout", type=float, default=900.0)
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--output", help="also write the JSON to this file")
    parser.add_argument(
        "--client-loop",
        choices=("uvloop", "asyncio"),
        default="uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
    )
    # Internal: the roles of the subprocesses.
    parser.add_argument(
        "--role",
        choices=("driver", "setup", "reset", "reference", "clients"),
        default="driver",
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--config", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--people", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.role == "setup":
        run_setup_role(args.people, args.senders, args.visibility)
    elif args.role == "reset":
        run_reset_role()
    elif args.role == "reference":
        asyncio.run(reference_main(args.port))
    elif args.role == "clients":
        run_clients_role(args.config)
    else:
        output = driver(args)
        text = json.dumps(output, indent=2)
        if args.output:
            Path(args.output).write_text(text + "\n")
        print(text)


if __name__ == "__main__":
    main()
