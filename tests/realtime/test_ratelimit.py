"""The per-person frame limit: counted in the process without Redis, across processes through
Redis with it, and in the process again while Redis cannot answer."""

from __future__ import annotations

import asyncio
import shutil
import time

import pytest

from realtime import ratelimit

from .harness import RedisProcess, free_port

pytestmark = pytest.mark.asyncio


@pytest.fixture
def redis_url(settings):
    """The machine's Redis when REDIS_URL is set (CI's second tier), else a private one."""
    if settings.REDIS_URL:
        yield settings.REDIS_URL
        return
    if not shutil.which("redis-server"):
        pytest.skip("Needs a Redis: neither REDIS_URL nor redis-server is available.")
    redis = RedisProcess().start()
    yield redis.url
    redis.kill()


async def test_without_redis_a_burst_of_three_seconds_worth_passes_and_the_next_waits(settings):
    settings.REDIS_URL = ""
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 2
    waits = [await ratelimit.take(7) for _ in range(7)]
    assert waits[:6] == [0.0] * 6
    assert 0.0 < waits[6] <= 0.5
    assert await ratelimit.take(8) == 0.0  # someone else's count is their own


async def test_processes_sharing_redis_share_one_count_per_person(settings, redis_url):
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 2  # bursts of 6
    # Two processes' views of the count: neither alone sees more than the burst.
    first, second = ratelimit.SharedLimit(redis_url), ratelimit.SharedLimit(redis_url)
    assert [await first.take(41) for _ in range(3)] == [0.0] * 3
    assert [await second.take(41) for _ in range(3)] == [0.0] * 3
    refused = await second.take(41)
    assert 0.0 < refused <= ratelimit.BURST_SECONDS
    assert await first.take(41) > 0.0
    assert await first.take(42) == 0.0  # another person
    settings.CHANNEL_LAYER_PREFIX = "another-deployment"
    assert await first.take(41) == 0.0  # another deployment on the same Redis


async def test_the_consumer_path_counts_through_redis_when_it_is_set(settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 2
    for _ in range(6):
        assert await ratelimit.take(51) == 0.0
    ratelimit._buckets.clear()  # a fresh process's own bucket would allow it...
    assert await ratelimit.take(51) > 0.0  # ...but the shared count does not


async def test_while_redis_cannot_answer_the_process_counts_on_its_own(settings, caplog):
    port = free_port()  # nothing listens here
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 2
    started = time.monotonic()
    waits = [await ratelimit.take(61) for _ in range(7)]
    assert waits[:6] == [0.0] * 6 and waits[6] > 0.0
    assert "shared rate limit is unavailable" in caplog.text
    assert caplog.text.count("shared rate limit is unavailable") == 1  # then it stops asking
    assert time.monotonic() - started < 2.0


async def test_the_shared_count_comes_back_when_redis_does(settings, monkeypatch):
    monkeypatch.setattr(ratelimit, "SHARED_RETRY_SECONDS", 0.2)
    if not shutil.which("redis-server"):
        pytest.skip("Needs redis-server to start and stop a Redis of its own.")
    redis = RedisProcess()  # its port is chosen, nothing listens yet
    settings.REDIS_URL = redis.url
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 2
    assert await ratelimit.take(71) == 0.0  # counted in the process
    redis.start()
    try:
        await asyncio.sleep(0.3)
        for _ in range(6):
            assert await ratelimit.take(72) == 0.0
        ratelimit._buckets.clear()
        assert await ratelimit.take(72) > 0.0  # the count was in Redis
    finally:
        redis.kill()
