"""Request rates per client address and per pool, so that guessing passwords or codes costs time.

A token bucket per key, in memory, per worker process (so N workers allow N times the rate): ``rate``
requests a second, bursts of up to twice that. Off (rate 0) unless configured; on by default in production
mode (settings.py). Measured on the server's monotonic clock, not the movable one of the tests.
"""

from __future__ import annotations

import threading
import time

_MAX_KEYS = 100_000  # past this many keys, those whose bucket is full again are forgotten


class RateLimiter:
    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.on = rate > 0  # asked before allow() on every request, so that an unlimited server makes no call
        self.burst = 2 * rate
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take one request's token from ``key``'s bucket; False if it has none left."""
        if not self.on:
            return True
        now = time.monotonic()
        with self._lock:
            tokens, when = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - when) * self.rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1, now)
            if len(self._buckets) > _MAX_KEYS:
                self._forget_full(now)
            return True

    def _forget_full(self, now: float) -> None:
        full = [k for k, (t, w) in self._buckets.items() if t + (now - w) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]
