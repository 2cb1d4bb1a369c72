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


FRAMES_PER_SECOND = 20.0
FRAME_BURST = 60.0
_buckets: dict[int, TokenBucket] = {}


def bucket_for(person_id: int) -> TokenBucket:
    bucket = _buckets.get(person_id)
    if bucket is None:
        bucket = _buckets[person_id] = TokenBucket(rate=FRAMES_PER_SECOND, burst=FRAME_BURST)
    return bucket
