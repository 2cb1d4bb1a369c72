"""How many frames a person may send: REALTIME_RATE_LIMIT_PER_SECOND a second, in bursts of up
to REALTIME_RATE_LIMIT_BURST_SECONDS' worth (3), counted across every socket the person has open.

Each process counts the person's frames on its sockets in a token bucket, which stops a flood
through one process at once. With REDIS_URL every frame is also counted in Redis (the
``limits`` library's moving window, shared by every server process), so a person with tabs on
several processes behind a load balancer gets one allowance, not one per process. That count
is made in the background, off the frame's path (a Redis call costs ~0.3 ms of the event
loop's time, which a message's fan-out would otherwise wait for): when Redis refuses a frame,
the process refuses the person's frames until the window has room again. A flood spread over
processes is therefore cut off one Redis round trip after it passes the limit. If Redis cannot
answer, each process counts on its own until it can: a broken Redis must not refuse every
frame."""

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

# How long a process counts on its own after Redis failed to answer, before asking it again.
SHARED_RETRY_SECONDS = 5.0
# The most counts a process has in flight to Redis at once.
SHARED_CONNECTIONS = 4
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


def _burst_seconds() -> int:
    """A burst may use this many seconds' worth of the rate at once."""
    return int(settings.REALTIME_RATE_LIMIT_BURST_SECONDS)


_buckets: dict[tuple[int, float, int], TokenBucket] = {}
# How often a process forgets the counts that no longer limit anyone (a full bucket is the
# same as a new one; a refusal past its time refuses nothing), so they do not pile up.
PRUNE_SECONDS = 60.0
_pruned_at = time.monotonic()


def _prune(now: float) -> None:
    for key, bucket in list(_buckets.items()):
        if (now - bucket.updated) * bucket.rate + bucket.tokens >= bucket.burst:
            del _buckets[key]
    wall = time.time()
    for shared in list(_shared.values()):
        for person, until in list(shared.over.items()):
            if until <= wall:
                del shared.over[person]


def bucket_for(person_id: int) -> TokenBucket:
    """The person's bucket in this process (a new one when the setting changes, as in tests)."""
    rate, seconds = _rate(), _burst_seconds()
    bucket = _buckets.get((person_id, rate, seconds))
    if bucket is None:
        bucket = TokenBucket(rate=rate, burst=rate * seconds)
        _buckets[(person_id, rate, seconds)] = bucket
    return bucket


class SharedLimit:
    """The person's count in Redis, for one event loop (Redis connections belong to a loop)."""

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
        # People Redis refused a frame of, and when (time.time()) the window has room again.
        self.over: dict[tuple[str, str], float] = {}
        self.counting: set[asyncio.Task[None]] = set()
        # Counts in flight at once, each on a pooled connection: a thousand sockets subscribing
        # together must not open a thousand connections to Redis (the pool ran out, measured).
        self.slots = asyncio.Semaphore(SHARED_CONNECTIONS)

    def available(self) -> bool:
        return time.monotonic() - self.failed_at >= SHARED_RETRY_SECONDS

    def refused(self, person_id: int) -> float:
        """Seconds to wait if Redis refused one of the person's recent frames, else 0.0."""
        key = self._key(person_id)
        until = self.over.get(key)
        if until is None:
            return 0.0
        wait = until - time.time()
        if wait > 0:
            return wait
        del self.over[key]
        return 0.0

    def count(self, person_id: int) -> None:
        """Count an allowed frame in Redis, in the background."""
        task = asyncio.ensure_future(self._count(self._key(person_id)))
        self.counting.add(task)
        task.add_done_callback(self.counting.discard)

    async def settled(self) -> None:
        """Wait for the counts in flight."""
        while self.counting:
            await asyncio.gather(*self.counting)

    @staticmethod
    def _key(person_id: int) -> tuple[str, str]:
        # The deployment's prefix keeps its counts apart from another's on the same Redis.
        return (settings.CHANNEL_LAYER_PREFIX, str(person_id))

    async def _count(self, key: tuple[str, str]) -> None:
        rate, seconds = _rate(), _burst_seconds()
        item = RateLimitItemPerSecond(max(1, round(rate * seconds)), seconds)
        try:
            async with self.slots:
                if await self.limiter.hit(item, *key):
                    return
                stats = await self.limiter.get_window_stats(item, *key)
        except Exception:
            if self.available():
                logger.warning(
                    "The shared rate limit is unavailable; counting in this process for %.0f s",
                    SHARED_RETRY_SECONDS,
                    exc_info=True,
                )
            self.failed_at = time.monotonic()
            return
        # The oldest frame in the window leaves it at reset_time; at least one frame's worth.
        self.over[key] = max(stats.reset_time, time.time() + 1.0 / rate)


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


def take(person_id: int) -> float:
    """Count one frame of the person's: 0.0 if allowed, else the seconds to wait."""
    global _pruned_at
    now = time.monotonic()
    if now - _pruned_at >= PRUNE_SECONDS:
        _pruned_at = now
        _prune(now)
    shared = _shared_limit()
    if shared is not None and shared.available():
        wait = shared.refused(person_id)
        if wait:
            return wait
    wait = bucket_for(person_id).take()
    if not wait and shared is not None and shared.available():
        shared.count(person_id)
    return wait
