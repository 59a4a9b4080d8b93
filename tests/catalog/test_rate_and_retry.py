"""The rate limiter and retry policy, on injected time (no real sleeping)."""

from __future__ import annotations

import random

import pytest

from pmp_reconcile.catalog.rate import RateLimiter
from pmp_reconcile.catalog.retry import RetryPolicy
from pmp_reconcile.errors import AwsServiceError, AwsThrottled, AwsValidationError


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_limiter_lets_a_burst_of_one_second_through_then_paces() -> None:
    time = FakeTime()
    limiter = RateLimiter(rates={"StartChangeSet": 5.0}, clock=time.clock, sleep=time.sleep)
    for _ in range(5):
        limiter.acquire("StartChangeSet")
    assert time.now == 0.0
    for _ in range(10):
        limiter.acquire("StartChangeSet")
    assert time.now == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("operation", "calls", "seconds"), [("ListEntities", 30, 2.0), ("DescribeChangeSet", 30, 2.0)]
)
def test_documented_rates_hold_over_many_calls(operation: str, calls: int, seconds: float) -> None:
    time = FakeTime()
    limiter = RateLimiter(clock=time.clock, sleep=time.sleep)
    for _ in range(calls):
        limiter.acquire(operation)
    assert time.now == pytest.approx(seconds)


def test_unknown_operations_are_not_limited() -> None:
    time = FakeTime()
    limiter = RateLimiter(rates={}, clock=time.clock, sleep=time.sleep)
    for _ in range(100):
        limiter.acquire("Anything")
    assert time.slept == []


def test_retry_waits_with_growing_jittered_delays_then_succeeds() -> None:
    time = FakeTime()
    policy = RetryPolicy(attempts=4, base=1.0, cap=3.0, sleep=time.sleep, rng=random.Random(1))
    outcomes: list[Exception | str] = [
        AwsThrottled("slow"),
        AwsServiceError("boom"),
        AwsThrottled("x"),
        "ok",
    ]

    def call() -> str:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert policy.run(call) == "ok"
    assert len(time.slept) == 3
    assert 0.5 <= time.slept[0] <= 1.0
    assert 1.0 <= time.slept[1] <= 2.0
    assert 1.5 <= time.slept[2] <= 3.0


def test_retry_gives_up_after_the_last_attempt() -> None:
    time = FakeTime()
    policy = RetryPolicy(attempts=3, sleep=time.sleep)

    def call() -> None:
        raise AwsThrottled("always")

    with pytest.raises(AwsThrottled):
        policy.run(call)
    assert len(time.slept) == 2


def test_retry_does_not_retry_client_errors() -> None:
    time = FakeTime()
    policy = RetryPolicy(sleep=time.sleep)

    def call() -> None:
        raise AwsValidationError("bad")

    with pytest.raises(AwsValidationError):
        policy.run(call)
    assert time.slept == []
