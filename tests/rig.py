"""A reconciler wired to an in-process sandbox on fake time: the rig the apply tests share.

Everything real but the clock: boto3 → botocore → the sandbox's before-send hook, our
CatalogApi with its limiter and retries, the executor. ``sleep`` advances the sandbox clock,
so polls, backoffs and lifecycles take no wall time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pmp_reconcile.apply.executor import ApplySettings, Executor, Timekeeping
from pmp_reconcile.apply.result import ApplyResult
from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.catalog.client import CATALOG_SERVICE, ConnectionOptions, make_client
from pmp_reconcile.catalog.rate import RateLimiter
from pmp_reconcile.catalog.reader import LiveReader
from pmp_reconcile.catalog.retry import RetryPolicy
from pmp_reconcile.model import MarketplaceState
from pmp_reconcile.plan.make import make_plan
from pmp_reconcile.plan.values import Plan
from pmp_reconcile.sandbox import FakeClock, Marketplace, SandboxSettings, StateOptions, attach

CREDENTIALS = ("rig", "rig")


@dataclass
class Rig:
    """One sandboxed marketplace and a reconciler talking to it."""

    settings: SandboxSettings = field(default_factory=SandboxSettings)
    clock: FakeClock = field(default_factory=FakeClock)
    marketplace: Marketplace = field(init=False)
    api: CatalogApi = field(init=False)
    slept: list[float] = field(default_factory=list)
    start: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.start = self.clock.now()
        self.marketplace = Marketplace(self.settings.state, self.clock)
        self.api = self.connect()

    def sleep(self, seconds: float) -> None:
        """Advance the clock by at least a microsecond, its resolution (no sleep is lost)."""
        self.slept.append(seconds)
        self.clock.advance(max(seconds, 1e-6))

    def monotonic(self) -> float:
        """Seconds since the rig began (small floats keep sub-microsecond precision)."""
        return (self.clock.now() - self.start).total_seconds()

    def now(self) -> datetime:
        return self.clock.now().astimezone(UTC)

    def connect(self, settings: SandboxSettings | None = None) -> CatalogApi:
        """A new client on the same marketplace (``settings`` may add faults)."""
        chosen = settings or self.settings

        def transport(client: Any) -> None:
            attach(client, self.marketplace, chosen, clock=self.clock, sleep=self.sleep)

        client = make_client(CATALOG_SERVICE, ConnectionOptions(credentials=CREDENTIALS), transport)
        limiter = RateLimiter(clock=self.monotonic, sleep=self.sleep)
        retry = RetryPolicy(sleep=self.sleep, rng=random.Random(0))
        return CatalogApi(client=client, limiter=limiter, retry=retry)

    def executor(self, api: CatalogApi | None = None, **settings: Any) -> Executor:
        time = Timekeeping(sleep=self.sleep, monotonic=self.monotonic, now=self.now)
        return Executor(api or self.api, settings=ApplySettings(**settings), time=time)

    def live(self) -> MarketplaceState:
        return LiveReader(self.api).read()

    def plan(self, desired: MarketplaceState) -> Plan:
        return make_plan(desired, self.live())

    def apply(self, desired: MarketplaceState, **settings: Any) -> tuple[Plan, ApplyResult]:
        plan = self.plan(desired)
        return plan, self.executor(**settings).run(plan)


def with_options(**options: Any) -> SandboxSettings:
    """Sandbox settings with these state options."""
    return SandboxSettings(state=StateOptions(**options))
