"""Retries with jittered exponential backoff for throttling and service faults.

botocore's own retries are turned off (``ConnectionOptions.max_attempts`` = 1) so that every
wait goes through an injected ``sleep``: tests and benchmarks control time. Retrying
StartChangeSet is safe because each carries a ClientRequestToken.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from pmp_reconcile.errors import AwsServiceError, AwsThrottled, PmpError

T = TypeVar("T")
RETRYABLE: tuple[type[PmpError], ...] = (AwsThrottled, AwsServiceError)


@dataclass
class RetryPolicy:
    """``attempts`` tries in all; waits grow from ``base`` to at most ``cap`` seconds."""

    attempts: int = 8
    base: float = 0.25
    cap: float = 20.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        """Full jitter: a random wait up to the exponential ceiling (attempt counts from 1)."""
        ceiling = min(self.cap, self.base * 2 ** (attempt - 1))
        return self.rng.uniform(ceiling / 2, ceiling)

    def run(self, call: Callable[[], T]) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return call()
            except RETRYABLE:
                if attempt == self.attempts:
                    raise
                self.sleep(self.delay(attempt))
        raise AssertionError("unreachable: the loop returns or raises")
