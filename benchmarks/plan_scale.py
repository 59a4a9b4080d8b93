"""How fast `plan` reads a large organization, and how fast the pure planner is.

1. One sandbox (in process, documented request rates enforced, 20 ms latency per call) holds
   100 experiences × 300 products, each with policy, branding and an audience. The reader
   (lists + BatchDescribeEntities in parallel) and `make_plan` run against it, beside a
   sequential reader that calls DescribeEntity once per entity. Prints both times, the ratio
   (target ≥ 20x) and the read calls against the minimum (target ≤ 1.1x).
2. The pure diff + packing of 1,000 experiences × 2,000 products, 10% of them changed
   (target < 1 s, < 300 MB).

Run: .venv/bin/python benchmarks/plan_scale.py [--experiences N] [--products N]
"""

from __future__ import annotations

import argparse
import math
import resource
import time
import tracemalloc
from dataclasses import replace
from functools import cache
from typing import Any

import boto3

from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.catalog.reader import LiveReader
from pmp_reconcile.model import Experience, MarketplaceState, RequestPolicy, Status
from pmp_reconcile.plan.make import make_plan
from pmp_reconcile.sandbox import FaultSettings, Marketplace, SandboxSettings, attach

ENTITY_TYPES = ("Experience", "Audience", "ProcurementPolicy", "BrandingSettings")


@cache
def product_id(n: int) -> str:
    """One string object per id, shared by desired and live as parsed YAML and JSON would not
    be; it keeps the inputs' memory out of the figure for the planner."""
    return f"00000000-0000-4000-8000-{n:012d}"


def seed_document(experiences: int, products: int) -> dict[str, Any]:
    return {
        "experiences": [
            {
                "name": f"Experience {i:04d}",
                "status": "Enabled",
                "procurement_policy": {
                    "requests": "Deny",
                    "allow": [product_id(i * products + p) for p in range(products)],
                },
                "branding": {"title": f"Marketplace {i}", "theme_color": "#0A66C2"},
                "audiences": [{"principals": [f"{100000000000 + i:012d}"]}],
            }
            for i in range(experiences)
        ]
    }


def desired_from(live: MarketplaceState) -> MarketplaceState:
    """The same marketplace as a desired tree would describe it (so the plan is empty)."""
    desired = [replace(e, key=f"e{i:04d}", live=None) for i, e in enumerate(live.experiences)]
    return MarketplaceState(experiences=tuple(desired))


def catalog_client(marketplace: Marketplace, latency: float) -> Any:
    client = boto3.client(
        "marketplace-catalog",
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    faults = FaultSettings(throttle=True, latency=latency)
    attach(client, marketplace, SandboxSettings(faults=faults))
    return client


def sequential_read(api: CatalogApi) -> int:
    """The naive reader: list everything, then one DescribeEntity per entity, in turn."""
    described = 0
    for entity_type in ENTITY_TYPES:
        for summary in list(api.list_entities(entity_type)):
            api.describe_entity(summary["EntityId"])
            described += 1
    return described


def bench_read(experiences: int, products: int, latency: float) -> None:
    marketplace = Marketplace()
    marketplace.seed(seed_document(experiences, products))
    client = catalog_client(marketplace, latency)

    fast_api = CatalogApi(client)
    start = time.perf_counter()
    live = LiveReader(fast_api).read()
    plan = make_plan(desired_from(live), live)
    fast = time.perf_counter() - start
    assert not plan.has_changes, "an unchanged organization must plan no changes"

    slow_api = CatalogApi(client)
    start = time.perf_counter()
    entities = sequential_read(slow_api)
    slow = time.perf_counter() - start

    pages = 2 * math.ceil(experiences / 50)
    minimum = pages + math.ceil(entities / 20)
    reads = fast_api.calls.total
    print(f"plan of {experiences} experiences x {products} products ({entities} entities)")
    print(
        f"  parallel reader + plan : {fast:8.2f} s  ({reads} read calls: {fast_api.calls.counts})"
    )
    print(f"  sequential describes   : {slow:8.2f} s  ({slow_api.calls.total} calls)")
    print(f"  speed-up               : {slow / fast:8.1f}x  (target >= 20x)")
    print(
        f"  read calls vs minimum  : {reads} / {minimum} = {reads / minimum:.2f}x  (target <= 1.1x)"
    )


def _state(experiences: int, products: int, changed: bool) -> MarketplaceState:
    items = []
    for i in range(experiences):
        allowed = [product_id(i * products + p) for p in range(products)]
        if changed and i % 10 == 0:
            allowed = allowed[products // 10 :] + [
                product_id(10**9 + i * 1000 + p) for p in range(products // 10)
            ]
        items.append(
            Experience(
                key=f"e{i:04d}" if changed else None,
                name=f"Experience {i:04d}",
                id=f"exp-{i:013d}",
                status=Status.ENABLED,
                software_requests=RequestPolicy.DENY,
                principals=frozenset({f"{100000000000 + i:012d}"}),
                allowed=frozenset(allowed),
            )
        )
    return MarketplaceState(experiences=tuple(items))


def _rss_mb() -> float:
    """Resident memory now (Linux), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def bench_pure(experiences: int, products: int) -> None:
    desired = _state(experiences, products, changed=True)
    live = _state(experiences, products, changed=False)
    inputs = _rss_mb()
    start = time.perf_counter()
    make_plan(desired, live)
    untraced = time.perf_counter() - start
    planned_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    start = time.perf_counter()
    plan = make_plan(desired, live)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"pure diff + packing of {experiences} experiences x {products} products")
    print(f"  time                   : {untraced:8.2f} s  (target < 1 s)")
    print(f"  peak traced allocation : {peak / 2**20:8.1f} MB  (target < 300 MB; traced run took")
    print(f"                                      {elapsed:.2f} s)")
    print(f"  process RSS            : {inputs:8.1f} MB with the inputs built, peak")
    print(f"                           {planned_peak:8.1f} MB after planning")
    print(f"  change sets planned    : {plan.summary.change_sets}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiences", type=int, default=100)
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--pure-experiences", type=int, default=1000)
    parser.add_argument("--pure-products", type=int, default=2000)
    args = parser.parse_args()
    bench_pure(args.pure_experiences, args.pure_products)
    bench_read(args.experiences, args.products, args.latency)


if __name__ == "__main__":
    main()
