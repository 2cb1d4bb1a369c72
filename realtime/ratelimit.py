"""A token bucket per person per server process: enough to stop one person flooding a
conversation from a runaway script or a stuck key, without shared state between processes."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


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


_buckets: dict[int, TokenBucket] = {}


def bucket_for(person_id: int) -> TokenBucket:
    """The person's bucket: REALTIME_RATE_LIMIT_PER_SECOND frames a second, bursts of three
    seconds' worth (read when a bucket is made, so tests can override the setting)."""
    bucket = _buckets.get(person_id)
    if bucket is None:
        from django.conf import settings

        rate = float(getattr(settings, "REALTIME_RATE_LIMIT_PER_SECOND", 20.0))
        bucket = _buckets[person_id] = TokenBucket(rate=rate, burst=rate * 3)
    return bucket
