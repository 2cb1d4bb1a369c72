"""The per-person frame limit: counted in the process without Redis, across processes through
Redis with it, and in the process again while Redis cannot answer."""

from __future__ import annotations

import asyncio

import pytest

from realtime import ratelimit

from .harness import NEEDS_A_REDIS, NEEDS_REDIS_SERVER, RedisProcess, free_port

pytestmark = pytest.mark.asyncio


@pytest.fixture(autouse=True)
def minute_long_windows(settings):
    """0.1 frames a second in bursts of a minute's worth: 6 frames, and no test is slow
    enough for one of them to leave the window."""
    settings.REALTIME_RATE_LIMIT_BURST_SECONDS = 60


async def test_without_redis_a_burst_of_three_seconds_worth_passes_and_the_next_waits(settings):
    settings.REDIS_URL = ""
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 0.1
    waits = [ratelimit.take(7) for _ in range(7)]
    assert waits[:6] == [0.0] * 6
    assert 0.0 < waits[6] <= 10.0
    assert ratelimit.take(8) == 0.0  # someone else's count is their own


async def test_counts_that_no_longer_limit_anyone_are_forgotten(settings, monkeypatch):
    """A server process that sees a hundred thousand people over weeks keeps no count for
    those who are not sending now: a full bucket is the same as a new one."""
    settings.REDIS_URL = ""
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 0.1
    monkeypatch.setattr(ratelimit, "_buckets", {})
    for person in range(1000, 1100):
        assert ratelimit.take(person) == 0.0
    for _ in range(6):
        ratelimit.take(7)
    assert ratelimit.take(7) > 0.0  # person 7 is limited now
    later = ratelimit._buckets[(1000, 0.1, 60)].updated + 1.0
    ratelimit._prune(later)
    # 1 s later the others' buckets hold 5.1 of 6 tokens, and are kept...
    assert len(ratelimit._buckets) == 101
    # ...and 10 s on they are full, while person 7's is still short.
    ratelimit._prune(later + 9.5)
    assert list(ratelimit._buckets) == [(7, 0.1, 60)]
    assert ratelimit.take(7) > 0.0  # forgetting the others did not free person 7


@NEEDS_A_REDIS
async def test_processes_sharing_redis_share_one_count_per_person(settings, redis_url):
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 0.1
    # Two processes' views of the count: neither alone sees more than the burst.
    first, second = ratelimit.SharedLimit(redis_url), ratelimit.SharedLimit(redis_url)
    for limit in (first, second):
        for _ in range(3):
            assert limit.refused(41) == 0.0
            limit.count(41)
        await limit.settled()
    # Six counted: the next frame passes before Redis has answered, and is refused there...
    assert second.refused(41) == 0.0
    second.count(41)
    await second.settled()
    # ...so the person's frames are refused from then on, until the window has room.
    assert 0.0 < second.refused(41) <= 60
    first.count(41)
    await first.settled()
    assert first.refused(41) > 0.0
    first.count(42)  # another person
    await first.settled()
    assert first.refused(42) == 0.0
    settings.CHANNEL_LAYER_PREFIX = "another-deployment"
    first.count(41)  # another deployment on the same Redis
    await first.settled()
    assert first.refused(41) == 0.0


async def test_a_frame_counts_in_redis_and_in_the_process(settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 0.1
    shared = ratelimit._shared_limit()
    assert shared is not None
    for _ in range(6):
        assert ratelimit.take(51) == 0.0
    await shared.settled()
    ratelimit._buckets.clear()  # a fresh process's own bucket would allow the next...
    assert ratelimit.take(51) == 0.0  # ...and does, until Redis answers...
    await shared.settled()
    assert ratelimit.take(51) > 0.0  # ...that the person is over
    # A flood within one process is refused by its own bucket before Redis could answer.
    assert [ratelimit.take(52) for _ in range(7)][6] > 0.0


async def test_while_redis_cannot_answer_the_process_counts_on_its_own(settings, caplog):
    port = free_port()  # nothing listens here
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 0.1
    shared = ratelimit._shared_limit()
    assert shared is not None
    assert ratelimit.take(61) == 0.0
    await shared.settled()
    assert "shared rate limit is unavailable" in caplog.text
    assert not shared.available()  # it stops asking for a while...
    waits = [ratelimit.take(61) for _ in range(6)]
    assert waits[:5] == [0.0] * 5 and waits[5] > 0.0  # ...and the process's bucket counts
    await shared.settled()
    assert caplog.text.count("shared rate limit is unavailable") == 1


@NEEDS_REDIS_SERVER
async def test_the_shared_count_comes_back_when_redis_does(settings, monkeypatch):
    monkeypatch.setattr(ratelimit, "SHARED_RETRY_SECONDS", 0.2)
    redis = RedisProcess()  # its port is chosen, nothing listens yet
    settings.REDIS_URL = redis.url
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 0.1
    shared = ratelimit._shared_limit()
    assert shared is not None
    assert ratelimit.take(71) == 0.0
    await shared.settled()
    assert not shared.available()
    redis.start()
    try:
        await asyncio.sleep(0.3)
        assert shared.available()
        for _ in range(6):
            assert ratelimit.take(72) == 0.0
        await shared.settled()
        ratelimit._buckets.clear()
        assert ratelimit.take(72) == 0.0
        await shared.settled()
        assert ratelimit.take(72) > 0.0  # the count was in Redis
    finally:
        redis.kill()


async def test_a_thousand_frames_at_once_use_a_few_connections_to_redis(settings, redis_url):
    """As when a thousand sockets subscribe together: every frame is counted, on at most
    SHARED_CONNECTIONS pooled connections."""
    settings.REDIS_URL = redis_url
    shared = ratelimit._shared_limit()
    assert shared is not None
    for person in range(1000):
        assert ratelimit.take(100_000 + person) == 0.0
    await shared.settled()
    assert shared.available()  # no count failed
    pool = shared.limiter.storage.bridge.storage.connection_pool
    assert len(pool._available_connections) + len(pool._in_use_connections) <= (
        ratelimit.SHARED_CONNECTIONS
    )
