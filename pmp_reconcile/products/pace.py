"""Spacing calls at the Discovery API's documented rates (GetProduct 5/s, SearchListings 10/s).

A pacer, not a bucket: successive calls of one operation are at least ``1/rate`` apart, so no
second ever holds more calls than the quota, not even the first (a full bucket would let a
burst of ``rate`` calls through and then one more). Time is injected so tests need not sleep.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

#: Requests per second per account [Discovery API service quotas].
DISCOVERY_RATES: Mapping[str, float] = {"GetProduct": 5.0, "SearchListings": 10.0}


@dataclass
class Pacer:
    """``wait(operation)`` returns when a call of that operation keeps to its rate."""

    rates: Mapping[str, float] = field(default_factory=lambda: dict(DISCOVERY_RATES))
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _last: dict[str, float] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def wait(self, operation: str) -> None:
        rate = self.rates.get(operation)
        if rate is None:
            return
        with self._lock:
            last = self._last.get(operation)
            now = self.clock()
            if last is not None and now - last < 1 / rate:
                self.sleep(1 / rate - (now - last))
                now = max(self.clock(), last + 1 / rate)
            self._last[operation] = now
