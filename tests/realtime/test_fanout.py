"""The process fan-out: run_eagerly, its way of sending without a task per delivery, and the
delivery of this process's own broadcasts without a round trip through the channel layer."""

import asyncio
import itertools

import pytest
from asgiref.sync import sync_to_async

from realtime import publish
from realtime.events import conversation_group, envelope
from realtime.fanout import fanout, run_eagerly

# Groups no other test uses, so a shared Redis layer carries nothing else to them.
_ids = itertools.count(900_000_001)


@pytest.mark.asyncio
async def test_a_send_that_never_waits_completes_before_run_eagerly_returns():
    done = []

    async def send():
        done.append("sent")

    run_eagerly(send(), on_error=done.append)
    assert done == ["sent"]


@pytest.mark.asyncio
async def test_a_send_that_waits_is_finished_later_with_the_value_it_awaited():
    loop = asyncio.get_running_loop()
    buffer_drained = loop.create_future()
    steps = []

    async def send():
        steps.append("written")
        steps.append(await buffer_drained)
        await asyncio.sleep(0)
        steps.append("done")

    run_eagerly(send(), on_error=steps.append)
    assert steps == ["written"]
    buffer_drained.set_result("drained")
    for _ in range(5):
        await asyncio.sleep(0)
    assert steps == ["written", "drained", "done"]


@pytest.mark.asyncio
async def test_errors_reach_on_error_whether_raised_at_once_or_after_waiting():
    loop = asyncio.get_running_loop()
    errors: list[BaseException] = []
    gone = loop.create_future()

    async def fails_at_once():
        raise ConnectionResetError("closed")

    async def fails_after_waiting():
        await gone

    run_eagerly(fails_at_once(), on_error=errors.append)
    run_eagerly(fails_after_waiting(), on_error=errors.append)
    gone.set_exception(BrokenPipeError("peer went away"))
    for _ in range(5):
        await asyncio.sleep(0)
    assert [type(error) for error in errors] == [ConnectionResetError, BrokenPipeError]


class Socket:
    """What the fan-out delivers to: records each broadcast it is handed."""

    def __init__(self) -> None:
        self.seqs: list[int] = []

    def deliver(self, message):
        self.seqs.append(message["event"]["seq"])


async def settled(socket: Socket, count: int, seconds: float = 2.0) -> list[int]:
    """The socket's broadcasts once it has ``count`` of them, or after ``seconds``; then a
    little longer, so a copy that should have been dropped would have arrived."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while len(socket.seqs) < count and loop.time() < deadline:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    return socket.seqs


@pytest.mark.asyncio
async def test_a_broadcast_published_in_this_process_reaches_its_sockets_once_without_the_layer():
    here = fanout()
    group = conversation_group(next(_ids))
    socket = Socket()
    await here.join(group, socket)
    try:
        # Published as an action does after commit: from a worker thread.
        await sync_to_async(publish._send)(
            group, envelope({"type": "message", "conversation": 1, "seq": 1})
        )
        # Already here when the publish returns, not after the reader's round trip...
        assert socket.seqs == [1]
        # ...and the channel layer's copy of it is dropped.
        assert await settled(socket, 2) == [1]
        # A broadcast another process published arrives through the layer as before.
        await here.layer.group_send(
            group,
            {**envelope({"type": "message", "conversation": 1, "seq": 2}), "group": group},
        )
        assert await settled(socket, 2) == [1, 2]
    finally:
        await here.leave(group, socket)


@pytest.mark.asyncio
async def test_a_broadcast_for_a_group_without_local_sockets_still_goes_through_the_layer():
    here = fanout()
    group, other = conversation_group(next(_ids)), conversation_group(next(_ids))
    socket = Socket()
    await here.join(other, socket)
    try:
        channel = await here.layer.new_channel()
        await here.layer.group_add(group, channel)
        await sync_to_async(publish._send)(
            group, envelope({"type": "message", "conversation": 1, "seq": 7})
        )
        received = await asyncio.wait_for(here.layer.receive(channel), timeout=5)
        assert received["event"]["seq"] == 7 and "origin" not in received
        assert socket.seqs == []
    finally:
        await here.leave(other, socket)
