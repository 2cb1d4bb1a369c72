"""Real server processes and a protocol client for end-to-end realtime tests (and bench/).

``ServerProcess`` runs Daphne (or Uvicorn) on 127.0.0.1 as a separate process against the test
database; ``RedisProcess`` runs a private redis-server on a free port; ``ProtocolClient`` speaks
the realtime protocol over a real socket the way live.js does: it keeps the last sequence per
conversation and catches up from it after every reconnect."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import websockets

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


class ServerProcess:
    def __init__(self, env: dict[str, str], server: str = "daphne", port: int | None = None):
        self.env = {**os.environ, **env}
        self.server = server
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        if self.server == "uvicorn":
            return [
                sys.executable,
                "-m",
                "uvicorn",
                "hub.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--lifespan",
                "off",
                # As in compose.yaml: the production server.
                "--ws",
                "websockets-sansio",
            ]
        return [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(self.port),
            "hub.asgi:application",
        ]

    def start(self) -> ServerProcess:
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_port(self.port)
        except RuntimeError:
            self.process.kill()
            raise RuntimeError(self.process.stderr.read().decode()[-2000:]) from None
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                # Daphne waits up to 10 s for applications to finish; the tests don't need it.
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"


@contextlib.contextmanager
def daphne_and_uvicorn(env: dict[str, str]) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Both servers the hub supports, side by side (behind one Redis when ``env`` names one),
    stopped at the end whatever a test did to them."""
    a, b = ServerProcess(env).start(), ServerProcess(env, server="uvicorn").start()
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


# Tests that start and stop a Redis of their own.
NEEDS_REDIS_SERVER = pytest.mark.skipif(
    not shutil.which("redis-server"),
    reason="starts and stops a Redis of its own: needs Debian's redis-server (this machine and "
    "CI have it; a laptop with only Python does not)",
)
# Tests that share a Redis (the redis_url fixture): the machine's, or a private one.
NEEDS_A_REDIS = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") and not shutil.which("redis-server"),
    reason="needs a Redis: REDIS_URL is not set (.ci/run's second tier sets it) and Debian's "
    "redis-server, to start a private one, is not installed (this machine has it)",
)


class RedisProcess:
    def __init__(self, port: int | None = None) -> None:
        self.binary = shutil.which("redis-server")
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> RedisProcess:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class ProtocolClient:
    """A client of one conversation that survives disconnections, like live.js."""

    def __init__(self, url: str, cookie: str, conversation: int, origin: str = "http://localhost"):
        self.url = url
        self.headers = {"Cookie": cookie, "Origin": origin}
        self.conversation = conversation
        self.last_seq = 0
        self.received: list[dict] = []  # conversation events, in the order applied
        self.duplicates: list[dict] = []  # events received again after being applied
        self.acks: list[dict] = []
        self.socket = None

    async def connect(self, url: str | None = None, attempts: int = 100) -> None:
        """Connect, say hello and subscribe from the last sequence held, retrying as live.js
        does while the server (or its channel layer) is away."""
        self.url = url or self.url
        problem: Exception | None = None
        for _ in range(attempts):
            try:
                await self._connect_once()
                return
            except (OSError, websockets.WebSocketException, TimeoutError) as error:
                problem = error
                await asyncio.sleep(0.1)
        raise RuntimeError(f"could not connect to {self.url}: {problem}")

    async def _connect_once(self) -> None:
        self.socket = await websockets.connect(
            self.url, additional_headers=self.headers, open_timeout=2
        )
        hello = json.loads(await asyncio.wait_for(self.socket.recv(), 5))
        assert hello["type"] == "hello", hello
        await self.socket.send(
            json.dumps(
                {"type": "subscribe", "conversation": self.conversation, "last_seq": self.last_seq}
            )
        )
        await self.until(lambda frame: frame["type"] == "subscribed", timeout=5)

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()

    async def send(self, body: str, client_id: str) -> dict:
        await self.socket.send(
            json.dumps(
                {
                    "type": "send",
                    "conversation": self.conversation,
                    "client_id": client_id,
                    "body": body,
                }
            )
        )
        return await self.until(lambda f: f["type"] == "ack" and f.get("client_id") == client_id)

    def _apply(self, frame: dict) -> None:
        if frame.get("conversation") != self.conversation or "seq" not in frame:
            return
        if frame["type"] not in {"message", "edit", "delete", "reaction", "pin"}:
            return
        if frame["seq"] <= self.last_seq:
            self.duplicates.append(frame)
            return
        assert frame["seq"] == self.last_seq + 1, f"gap: {self.last_seq} -> {frame['seq']}"
        self.received.append(frame)
        self.last_seq = frame["seq"]

    async def until(self, predicate, timeout: float = 10.0) -> dict:
        async with asyncio.timeout(timeout):
            while True:
                frame = json.loads(await self.socket.recv())
                self._apply(frame)
                if frame["type"] == "ack":
                    self.acks.append(frame)
                if predicate(frame):
                    return frame

    async def wait_for_seq(self, seq: int, timeout: float = 10.0) -> None:
        if self.last_seq >= seq:
            return
        await self.until(lambda _frame: self.last_seq >= seq, timeout)

    def bodies(self) -> list[str]:
        return [f["message"]["html"] for f in self.received if f["type"] == "message"]
