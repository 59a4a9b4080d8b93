"""A Discovery seam wired to an in-process sandbox on fake time (or to a sandbox over HTTP).

Everything real but the clock: boto3's marketplace-discovery client → botocore → the sandbox,
our pacer, retries and cache. ``sleep`` advances the sandbox clock, so pacing and backoff take
no wall time, and every GetProduct the sandbox serves is stamped with the time it arrived.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pmp_reconcile.catalog.client import ConnectionOptions, make_client
from pmp_reconcile.catalog.retry import RetryPolicy
from pmp_reconcile.products.api import DISCOVERY_SERVICE, DiscoveryApi
from pmp_reconcile.products.cache import ProductCache
from pmp_reconcile.products.lookup import ProductDirectory
from pmp_reconcile.products.pace import Pacer
from pmp_reconcile.sandbox import FakeClock, Marketplace, SandboxSettings, attach

CREDENTIALS = ("rig", "rig")
PRODUCTS: list[dict[str, Any]] = [
    {"id": "prod-dd1", "name": "Datadog Pro", "publisher": "Datadog", "listing_id": "lst-dd"},
    {
        "id": "prod-dd2",
        "name": "Datadog Cloud SIEM",
        "publisher": "Datadog",
        "listing_id": "lst-dd",
    },
    {
        "id": "prod-old",
        "name": "Old Reporting",
        "publisher": "Example Analytics",
        "availability": "not_available_for_subscription",
        "fulfillment": ["AMAZON_MACHINE_IMAGE"],
    },
    *[{"id": f"prod-n{i:03}", "name": f"Widget {i:03}", "publisher": "Widgets"} for i in range(40)],
]


@dataclass
class DiscoveryRig:
    """One sandbox catalog of products and the seam talking to it."""

    cache_dir: Path
    settings: SandboxSettings = field(default_factory=SandboxSettings)
    clock: FakeClock = field(default_factory=FakeClock)
    marketplace: Marketplace = field(init=False)
    arrivals: list[datetime] = field(default_factory=list)
    start: datetime = field(init=False)
    today: date = field(default=date(2026, 11, 29))

    def __post_init__(self) -> None:
        self.start = self.clock.now()
        self.marketplace = Marketplace(self.settings.state, self.clock)
        self.marketplace.seed({"products": PRODUCTS})

    def sleep(self, seconds: float) -> None:
        self.clock.advance(max(seconds, 1e-6))

    def monotonic(self) -> float:
        return (self.clock.now() - self.start).total_seconds()

    def api(self, settings: SandboxSettings | None = None) -> DiscoveryApi:
        chosen = settings or self.settings

        def transport(client: Any) -> None:
            client.meta.events.register("before-send.marketplace-discovery", self._stamp)
            attach(client, self.marketplace, chosen, clock=self.clock, sleep=self.sleep)

        client = make_client(
            DISCOVERY_SERVICE, ConnectionOptions(credentials=CREDENTIALS), transport
        )
        pacer = Pacer(clock=self.monotonic, sleep=self.sleep)
        retry = RetryPolicy(sleep=self.sleep, rng=random.Random(0))
        return DiscoveryApi(client=client, pacer=pacer, retry=retry)

    def _stamp(self, request: Any, **_: Any) -> None:
        if request.url.endswith("/getProduct"):
            self.arrivals.append(self.clock.now())

    def cache(self, source: str = "sandbox") -> ProductCache:
        return ProductCache(self.cache_dir / "products.json", source, today=lambda: self.today)

    def directory(
        self, *, refresh: bool = False, settings: SandboxSettings | None = None
    ) -> ProductDirectory:
        return ProductDirectory(lambda: self.api(settings), self.cache(), refresh=refresh)
