"""How many frames a person may send: REALTIME_RATE_LIMIT_PER_SECOND a second, in bursts of up
to three seconds' worth, counted across every socket the person has open.

With REDIS_URL the count is shared by every server process (the ``limits`` library's moving
window in Redis, one Lua call a frame), so a person with tabs on several processes behind a
load balancer gets one allowance, not one per process. Without Redis (the embedded default,
one process) a token bucket in the process counts. If Redis cannot answer, the process's own
bucket counts until it can again: a broken Redis must not refuse every frame, and it still
stops a flood reaching this process."""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from dataclasses import dataclass, field

from django.conf import settings
from limits import RateLimitItemPerSecond
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

logger = logging.getLogger(__name__)

# A burst may use this many seconds' worth of the rate at once.
BURST_SECONDS = 3
# How long a process counts on its own after Redis failed to answer, before asking it again.
SHARED_RETRY_SECONDS = 5.0
# Redis must answer a frame's count within this, or the process counts on its own.
SHARED_TIMEOUT_SECONDS = 0.5


@dataclass
class TokenBucket:
    rate: float  # tokens added per second
    burst: float  # the most tokens held
    tokens: float = field(init=False)
    updated: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def take(self, cost: float = 1.0) -> float:
        """Take ``cost`` tokens: 0.0 if allowed, else the seconds to wait."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= cost:
            self.tokens -= cost
            return 0.0
        return (cost - self.tokens) / self.rate


def _rate() -> float:
    return float(settings.REALTIME_RATE_LIMIT_PER_SECOND)


_buckets: dict[tuple[int, float], TokenBucket] = {}


def bucket_for(person_id: int) -> TokenBucket:
    """The person's bucket in this process (a new one when the setting changes, as in tests)."""
    rate = _rate()
    bucket = _buckets.get((person_id, rate))
    if bucket is None:
        bucket = _buckets[(person_id, rate)] = TokenBucket(rate=rate, burst=rate * BURST_SECONDS)
    return bucket


class SharedLimit:
    """The moving window in Redis, for one event loop (Redis connections belong to a loop)."""

    def __init__(self, url: str) -> None:
        storage = storage_from_string(
            "async+" + url,
            implementation="redispy",
            key_prefix="hub-ratelimit",
            socket_timeout=SHARED_TIMEOUT_SECONDS,
            socket_connect_timeout=SHARED_TIMEOUT_SECONDS,
        )
        self.limiter = MovingWindowRateLimiter(storage)  # type: ignore[arg-type]
        self.failed_at = -SHARED_RETRY_SECONDS

    async def take(self, person_id: int) -> float:
        rate = _rate()
        item = RateLimitItemPerSecond(max(1, round(rate * BURST_SECONDS)), BURST_SECONDS)
        # The deployment's prefix keeps its counts apart from another's on the same Redis.
        key = (settings.CHANNEL_LAYER_PREFIX, str(person_id))
        if await self.limiter.hit(item, *key):
            return 0.0
        stats = await self.limiter.get_window_stats(item, *key)
        # The oldest frame in the window leaves it at reset_time; at least one frame's worth.
        return max(stats.reset_time - time.time(), 1.0 / rate)


_shared: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SharedLimit] = (
    weakref.WeakKeyDictionary()
)


def _shared_limit() -> SharedLimit | None:
    url = settings.REDIS_URL
    if not url:
        return None
    loop = asyncio.get_running_loop()
    shared = _shared.get(loop)
    if shared is None:
        shared = _shared[loop] = SharedLimit(url)
    return shared


async def take(person_id: int) -> float:
    """Count one frame of the person's: 0.0 if allowed, else the seconds to wait."""
    shared = _shared_limit()
    if shared is not None and time.monotonic() - shared.failed_at >= SHARED_RETRY_SECONDS:
        try:
            return await shared.take(person_id)
        except Exception:
            shared.failed_at = time.monotonic()
            logger.warning(
                "The shared rate limit is unavailable; counting in this process for %.0f s",
                SHARED_RETRY_SECONDS,
                exc_info=True,
            )
    return bucket_for(person_id).take()
