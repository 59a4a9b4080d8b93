"""Client-side rate limiting at the Catalog API's documented per-account request rates.

Parallel reads and applies would otherwise outrun the quotas and live on retries. One token
bucket per operation, shared by all threads; time is injected so tests need not sleep.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# Requests per second per account [Catalog API service quotas]. BatchDescribeEntities has no
# published rate; it draws from DescribeEntity's bucket, the action it is authorised by.
DOCUMENTED_RATES: Mapping[str, float] = {
    "ListEntities": 10.0,
    "DescribeEntity": 20.0,
    "StartChangeSet": 5.0,
    "ListChangeSets": 5.0,
    "DescribeChangeSet": 10.0,
    "CancelChangeSet": 5.0,
}
SHARED_BUCKETS: Mapping[str, str] = {"BatchDescribeEntities": "DescribeEntity"}

# Refilling by exactly the missing fraction can land a hair under one token: in floating point,
# or on clocks coarser than the wait (microsecond fakes). A millionth of a token is close enough.
_EPSILON = 1e-6


@dataclass
class _Bucket:
    rate: float
    tokens: float
    stamp: float


@dataclass
class RateLimiter:
    """``acquire(operation)`` blocks until a call of that operation fits in its rate."""

    rates: Mapping[str, float] = field(default_factory=lambda: dict(DOCUMENTED_RATES))
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _buckets: dict[str, _Bucket] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def acquire(self, operation: str) -> None:
        while (wait := self._take(operation)) > 0:
            self.sleep(wait)

    def _take(self, operation: str) -> float:
        operation = SHARED_BUCKETS.get(operation, operation)
        rate = self.rates.get(operation)
        if rate is None:
            return 0.0
        with self._lock:
            now = self.clock()
            bucket = self._buckets.setdefault(operation, _Bucket(rate, rate, now))
            bucket.tokens = min(rate, bucket.tokens + (now - bucket.stamp) * rate)
            bucket.stamp = now
            if bucket.tokens >= 1 - _EPSILON:
                bucket.tokens = max(0.0, bucket.tokens - 1)
                return 0.0
            return (1 - bucket.tokens) / rate


def unlimited() -> RateLimiter:
    """A limiter that never waits (tests of logic that is not about rates)."""
    return RateLimiter(rates={})
