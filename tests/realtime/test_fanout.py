"""run_eagerly: the fan-out's way of sending without a task per delivery."""

import asyncio

import pytest

from realtime.fanout import run_eagerly


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
