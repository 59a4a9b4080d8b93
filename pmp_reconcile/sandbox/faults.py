"""Request-level fault injection: throttling, random 5xx, added latency and denied operations.

These are faults of the *service front door*, applied before the state model sees a call, so
clients meet them exactly as they would meet AWS's. Faults of the state itself (a change set
forced to fail, an entity locked by someone else) live on ``Marketplace`` and are reached
through :func:`inject_state_faults`.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pmp_reconcile.sandbox.clock import Clock, SystemClock
from pmp_reconcile.sandbox.errors import (
    AccessDeniedException,
    InternalServiceException,
    ThrottlingException,
)
from pmp_reconcile.sandbox.settings import FaultSettings

Sleep = Callable[[float], None]


@dataclass
class TokenBucket:
    """A bucket holding up to ``rate`` tokens, refilled at ``rate`` tokens per second."""

    rate: float
    tokens: float
    updated: datetime

    def take(self, now: datetime) -> bool:
        """Refill for the time elapsed since the last call, then take one token if any."""
        elapsed = max(0.0, (now - self.updated).total_seconds())
        self.tokens = min(self.rate, self.tokens + elapsed * self.rate)
        self.updated = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


class FaultInjector:
    """Decides, per call, whether to delay, throttle or fail it. Thread-safe."""

    def __init__(
        self,
        settings: FaultSettings,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.settings = settings
        self._clock = clock or SystemClock()
        self._sleep = sleep or time.sleep
        self._random = random.Random(settings.error_seed)
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    def before(self, operation: str) -> None:
        """Apply the faults for one call; raises the service error the call should get."""
        if self.settings.latency > 0:
            self._sleep(self.settings.latency)
        if operation in self.settings.denied:
            raise AccessDeniedException(f"Not authorized to perform {operation} (sandbox fault)")
        if self.settings.throttle and not self._admit(operation):
            raise ThrottlingException(f"Rate exceeded for {operation}")
        if self.settings.fails(operation) and self._roll() < self.settings.error_rate:
            raise InternalServiceException("Injected internal service error (sandbox fault)")

    def _admit(self, operation: str) -> bool:
        name, rate = self.settings.rate_for(operation)
        if rate is None:
            return True
        now = self._clock.now()
        with self._lock:
            bucket = self._buckets.get(name)
            if bucket is None:
                bucket = self._buckets[name] = TokenBucket(rate=rate, tokens=rate, updated=now)
            return bucket.take(now)

    def _roll(self) -> float:
        with self._lock:
            return self._random.random()


class StateFaults(Protocol):
    """The fault hooks the state model offers (``Marketplace`` satisfies it)."""

    def fail_next_change_sets(self, count: int = 1, failure: str = "SERVER_FAULT") -> None: ...

    def hold_lock(self, entity_id: str) -> str: ...

    def release_lock(self, change_set_id: str) -> None: ...


def inject_state_faults(
    marketplace: StateFaults,
    *,
    fail_change_sets: int = 0,
    failure: str = "SERVER_FAULT",
    lock_entities: tuple[str, ...] = (),
) -> list[str]:
    """Arm the state-level faults; returns the ids of the foreign change sets holding locks."""
    if fail_change_sets:
        marketplace.fail_next_change_sets(fail_change_sets, failure)
    return [marketplace.hold_lock(entity_id) for entity_id in lock_entities]
