"""Per-token rate limits: an in-process token bucket per key (thread-safe, no framework)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_KEYS = 100_000  # buckets kept; beyond it the fullest (idle) ones are forgotten


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """``rate`` requests per second per key on average, up to ``burst`` at once.

    >>> clock = iter([0.0, 0.0, 0.0, 1.0]).__next__
    >>> limiter = RateLimiter(rate=1.0, burst=2, clock=clock)
    >>> [limiter.take("k") for _ in range(3)]
    [0.0, 0.0, 1.0]
    >>> limiter.take("k")  # one second later, one request is allowed again
    0.0
    """

    def __init__(
        self, *, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Spend one request of ``key``: 0 when allowed, else the seconds to wait."""
        if self.rate <= 0:
            return 0.0
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                self._forget_idle()
                bucket = self._buckets[key] = _Bucket(float(self.burst), now)
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.rate)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def _forget_idle(self) -> None:
        if len(self._buckets) >= MAX_KEYS:
            self._buckets.clear()  # all refill to full anyway; only bursts in flight are lost


def retry_after(wait: float) -> str:
    """The Retry-After header value (whole seconds, at least 1)."""
    return str(max(1, math.ceil(wait)))
