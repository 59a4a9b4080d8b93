"""Apply wall time: 10 experiences × 3 chained change sets, 1 s per change set, quotas on.

Prints the parallel executor's wall time against the floor max(3 × 1 s, 30 starts ÷ 5/s) and
against applying one change set at a time. Target: ≤ 1.3x the floor.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import boto3

from pmp_reconcile.apply.executor import ApplySettings, Executor
from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.catalog.reader import LiveReader
from pmp_reconcile.model import Experience, MarketplaceState, Status
from pmp_reconcile.plan.make import make_plan
from pmp_reconcile.plan.values import Plan
from pmp_reconcile.sandbox import (
    FaultSettings,
    Marketplace,
    Progression,
    SandboxSettings,
    StateOptions,
    attach,
)

START_RATE = 5.0


def product(n: int) -> str:
    return f"prod-{n:08d}"


def state(experiences: int, products: int) -> MarketplaceState:
    items = [
        Experience(
            key=f"team{i:02d}",
            name=f"Team {i:02d}",
            status=Status.ENABLED,
            allowed=frozenset(product(i * 1000 + p) for p in range(products)),
        )
        for i in range(experiences)
    ]
    return MarketplaceState(experiences=tuple(items))


def connect(marketplace: Marketplace, throttle: bool) -> CatalogApi:
    client: Any = boto3.client(
        "marketplace-catalog",
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    attach(client, marketplace, SandboxSettings(faults=FaultSettings(throttle=throttle)))
    return CatalogApi(client)


def plan_for(api: CatalogApi, desired: MarketplaceState) -> Plan:
    return make_plan(desired, LiveReader(api).read())


def prepared(experiences: int, change_set_seconds: float) -> CatalogApi:
    """A marketplace holding the experiences (made fast), then switched to timed change sets."""
    quick = Marketplace(StateOptions(progression=Progression(mode="immediate")))
    api = connect(quick, throttle=False)
    Executor(api).run(plan_for(api, state(experiences, 0)))
    timed = StateOptions(progression=Progression(mode="seconds", seconds=change_set_seconds / 2))
    marketplace = Marketplace.from_document(quick.to_document(), timed)
    return connect(marketplace, throttle=True)


def timed_apply(experiences: int, products: int, parallel: int) -> tuple[float, int]:
    api = prepared(experiences, 1.0)
    plan = plan_for(api, state(experiences, products))
    settings = ApplySettings(max_parallel=parallel)  # the CLI's polling, parallelism varied
    start = time.perf_counter()
    result = Executor(api, settings=settings).run(plan)
    elapsed = time.perf_counter() - start
    assert result.ok, [r.failure_description for r in result.failed]
    assert not plan_for(api, state(experiences, products)).has_changes
    return elapsed, len(result.change_sets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiences", type=int, default=10)
    parser.add_argument("--products", type=int, default=150)
    args = parser.parse_args()
    parallel, sets = timed_apply(args.experiences, args.products, parallel=10)
    chain = sets // args.experiences
    floor = max(chain * 1.0, sets / START_RATE)
    serial, _ = timed_apply(args.experiences, args.products, parallel=1)
    print(f"apply of {args.experiences} experiences x {chain} chained change sets ({sets} in all)")
    print(f"  parallel executor      : {parallel:6.2f} s")
    print(f"  floor                  : {floor:6.2f} s  (max({chain} x 1 s, {sets} starts / 5/s))")
    print(f"  ratio to floor         : {parallel / floor:6.2f}x  (target <= 1.3x)")
    print(f"  one chain at a time    : {serial:6.2f} s  ({serial / parallel:.1f}x slower)")


if __name__ == "__main__":
    main()
