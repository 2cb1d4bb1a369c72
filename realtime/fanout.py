"""Fan-out once per process: one channel-layer subscription per conversation per server
process, then local delivery to that process's sockets.

With a subscription per socket, every broadcast costs the channel layer one delivery (one Redis
round trip, one consumer dispatch) per socket. Here a process joins a conversation's group once,
reads each broadcast once, encodes its frame once, and hands it to the inbox of every local
socket subscribed to it. A broadcast published by this process reaches its own sockets at once
(``publish_here``) rather than after a round trip through the channel layer, whose copy the
reader then drops. If the process loses the channel layer (Redis restarted), it rejoins its
groups and asks every local socket to re-check its access and resynchronise from the database,
so nothing committed is lost and no lost access check goes unnoticed."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol

from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

INBOX_LIMIT = 5000
RESYNC = {"type": "hub.resync"}
# The channel layer was away: broadcasts, access checks among them, may have been lost.
LAYER_LOST = {"type": "hub.layer_failed"}
# channels-redis's list-based layer drops a channel from a group a day after it was added
# (group_expiry); groups held longer are added again this often.
GROUP_REFRESH_SECONDS = 3600.0


class Inbox(Protocol):
    def deliver(self, message: dict[str, Any]) -> None: ...


class ProcessFanout:
    def __init__(self) -> None:
        self.layer = get_channel_layer()
        self.channel: str | None = None
        self.members: dict[str, set[Inbox]] = {}
        self.lock = asyncio.Lock()
        self.reader: asyncio.Task | None = None
        self.refresher: asyncio.Task | None = None
        # Marks what this process published, so the reader can drop the channel layer's copy.
        self.origin = uuid.uuid4().hex
        self.watched: set[int] = set()

    async def join(self, group: str, inbox: Inbox) -> None:
        """Deliver the group's broadcasts to ``inbox``. When this returns, the process is in
        the group: anything published from now on arrives."""
        async with self.lock:
            if self.channel is None:
                # The default prefix shares the layer's one receive loop with this process's
                # consumers; another prefix would take turns with it, adding seconds of delay.
                self.channel = await self.layer.new_channel()
                self.reader = asyncio.create_task(self._read())
                self.refresher = asyncio.create_task(self._refresh())
            if group not in self.members:
                await self.layer.group_add(group, self.channel)
                self.members[group] = set()
                self._watch_reconnections()
            self.members[group].add(inbox)

    def _watch_reconnections(self) -> None:
        """channels-redis's pub/sub layer reconnects to a restarted Redis by itself and raises
        nothing, so the reader never learns that what was published meanwhile is lost. Its
        redis-py connections call back on every connection after the first, once they have
        subscribed again; each such call tells every local socket to re-check its access and
        catch up from the database. (The list-based layer's receive raises instead: _rejoin.)"""
        for shard in getattr(self.layer, "_shards", ()):
            connection = getattr(getattr(shard, "_pubsub", None), "connection", None)
            if connection is not None and id(connection) not in self.watched:
                self.watched.add(id(connection))
                connection.register_connect_callback(self._reconnected)

    def _reconnected(self, connection: Any) -> None:
        logger.warning("The channel layer reconnected; local sockets catch up")
        self._tell_every_socket(LAYER_LOST)

    def _tell_every_socket(self, message: dict[str, Any]) -> None:
        for inbox in {inbox for members in self.members.values() for inbox in members}:
            inbox.deliver(message)

    async def leave(self, group: str, inbox: Inbox) -> None:
        async with self.lock:
            members = self.members.get(group)
            if members is None:
                return
            members.discard(inbox)
            if not members:
                del self.members[group]
                try:
                    await self.layer.group_discard(group, self.channel)
                except Exception:
                    logger.warning("Could not leave %s; it will expire", group, exc_info=True)
            if not self.members and self.reader is not None:
                # Nothing to read for: stop, so an idle process holds no receive open.
                for task in (self.reader, self.refresher):
                    if task is not None:
                        task.cancel()
                        with contextlib.suppress(asyncio.CancelledError, Exception):
                            await task
                self.reader = self.refresher = None
                self.channel = None

    async def _join_again(self) -> None:
        async with self.lock:
            for group in self.members:
                await self.layer.group_add(group, self.channel)

    async def _refresh(self) -> None:
        while True:
            await asyncio.sleep(GROUP_REFRESH_SECONDS)
            try:
                await self._join_again()
            except Exception:
                logger.warning("Fan-out could not refresh its groups", exc_info=True)

    async def _read(self) -> None:
        assert self.channel is not None  # set by join() before it starts the reader
        await receive_forever(self.layer, self.channel, self._deliver, self._rejoin, "Fan-out")

    async def publish_here(self, group: str, message: dict[str, Any]) -> None:
        """Send ``message`` to ``group`` through the channel layer for the other processes,
        and deliver it to this process's own sockets without waiting for the layer's copy."""
        if group not in self.members:
            await self.layer.group_send(group, message)
            return
        message = {**message, "origin": self.origin}
        sending = asyncio.ensure_future(self.layer.group_send(group, message))
        # One turn of the loop lets the publish go out first, so other processes do not wait
        # for this one's sockets.
        await asyncio.sleep(0)
        self._deliver(dict(message, origin=None))
        await sending

    def _deliver(self, message: dict[str, Any]) -> None:
        members = self.members.get(message.get("group", ""))
        if not members or message.get("origin") == self.origin:
            return
        event = message.get("event", {})
        # Encode the frame once for every socket that receives it.
        message["text"] = json.dumps({"v": 1, **event}, separators=(",", ":"))
        for inbox in list(members):
            inbox.deliver(message)

    async def _rejoin(self) -> None:
        try:
            await self._join_again()
        except Exception:
            logger.warning("Fan-out could not rejoin yet", exc_info=True)
            return
        self._tell_every_socket(LAYER_LOST)


async def receive_forever(
    layer: Any,
    channel: str,
    deliver: Callable[[dict[str, Any]], None],
    recover: Callable[[], Awaitable[None]],
    reader: str,
) -> None:
    """Read ``channel`` for as long as the task runs, handing each message to ``deliver``.
    When the channel layer fails (Redis restarted, a read timed out under load), wait, call
    ``recover`` (whatever was sent meanwhile is unknown) and read again; the pause grows from
    0.1 to 5 seconds while the failures last."""
    backoff = 0.1
    while True:
        try:
            message = await layer.receive(channel)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.warning("%s lost the channel layer; retrying", reader, exc_info=True)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)
            await recover()
            continue
        backoff = 0.1
        deliver(message)


def run_eagerly(
    coroutine: Coroutine[Any, Any, Any], on_error: Callable[[BaseException], None]
) -> None:
    """Run ``coroutine`` now, in the caller's turn of the event loop, as Python 3.12's eager
    tasks do. A server's send usually writes to the socket without ever waiting, so this saves
    a task per delivery; if it does wait (the socket's buffer is full), the rest runs as a task.
    Errors go to ``on_error``."""
    try:
        awaited = coroutine.send(None)
    except StopIteration:
        return
    except Exception as error:
        on_error(error)
        return
    task = asyncio.ensure_future(_resume(coroutine, awaited))
    task.add_done_callback(lambda done: _report(done, on_error))


async def _resume(coroutine: Coroutine[Any, Any, Any], awaited: Any) -> None:
    """Drive a coroutine that has already started and is waiting on ``awaited``."""
    while True:
        try:
            if awaited is None:
                await asyncio.sleep(0)
                value, error = None, None
            else:
                awaited._asyncio_future_blocking = False
                try:
                    value, error = await awaited, None
                except BaseException as failure:  # handed back to the coroutine
                    value, error = None, failure
            awaited = coroutine.throw(error) if error is not None else coroutine.send(value)
        except StopIteration:
            return


def _report(task: asyncio.Future, on_error: Callable[[BaseException], None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        on_error(task.exception())  # type: ignore[arg-type]


_fanouts: dict[asyncio.AbstractEventLoop, ProcessFanout] = {}


def running_fanout() -> ProcessFanout | None:
    """The fan-out of the running event loop, if it has one."""
    return _fanouts.get(asyncio.get_running_loop())


def fanout() -> ProcessFanout:
    """The fan-out of the running event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    instance = _fanouts.get(loop)
    if instance is None:
        instance = _fanouts[loop] = ProcessFanout()
    return instance
