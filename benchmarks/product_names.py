"""What names cost a plan that lists 300 products: cold (every id read) and cached.

One in-process sandbox holds 300 products behind the Discovery API with its documented rates
enforced (GetProduct 5/s) and 20 ms of latency per call. The lookup a plan makes runs twice
on one cache directory: cold (300 GetProduct calls, paced at 5/s: the floor is 59.8 s) and
cached (no call; target < 50 ms). Prints calls, wall time, the floor and the ratio to it
(target ≤ 1.05x), and whether the sandbox ever throttled (target: never).

Run: .venv/bin/python benchmarks/product_names.py [--products N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from pmp_reconcile.catalog.client import ConnectionOptions, make_client
from pmp_reconcile.products.api import DISCOVERY_SERVICE, DiscoveryApi
from pmp_reconcile.products.cache import CACHE_FILE, ProductCache
from pmp_reconcile.products.lookup import ProductDirectory
from pmp_reconcile.products.pace import DISCOVERY_RATES
from pmp_reconcile.sandbox import FaultSettings, Marketplace, SandboxSettings, attach

LATENCY = 0.02


def product_id(n: int) -> str:
    return f"prod-bench{n:08d}"


def marketplace(products: int) -> Marketplace:
    market = Marketplace()
    items = [{"id": product_id(n), "name": f"Product {n:04d}"} for n in range(products)]
    market.seed({"products": items})
    return market


def connect(market: Marketplace) -> DiscoveryApi:
    settings = SandboxSettings(faults=FaultSettings(throttle=True, latency=LATENCY))

    def transport(client: Any) -> None:
        attach(client, market, settings)

    options = ConnectionOptions(credentials=("bench", "bench"))
    return DiscoveryApi(client=make_client(DISCOVERY_SERVICE, options, transport))


def lookup(market: Marketplace, cache: Path, ids: list[str]) -> tuple[float, dict[str, int]]:
    directory = ProductDirectory(lambda: connect(market), ProductCache(cache / CACHE_FILE, "bench"))
    start = time.perf_counter()
    facts = directory.facts(ids)
    elapsed = time.perf_counter() - start
    assert len(facts.products) == len(ids), "every product is named"
    calls = dict(directory.api.calls.counts) if directory._api is not None else {}
    return elapsed, calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=300)
    args = parser.parse_args()
    market = marketplace(args.products)
    ids = [product_id(n) for n in range(args.products)]
    floor = (args.products - 1) / DISCOVERY_RATES["GetProduct"]
    with tempfile.TemporaryDirectory() as cache:
        cold, cold_calls = lookup(market, Path(cache), ids)
        warm, warm_calls = lookup(market, Path(cache), ids)
    rate = f"GetProduct 5/s, {LATENCY * 1000:.0f} ms a call"
    print(f"names for a plan of {args.products} products ({rate})")
    ratio = f"ratio {cold / floor:.3f}x (target <= 1.05x)"
    print(f"  cold:   {cold:7.2f} s  calls {cold_calls}  floor {floor:.1f} s  {ratio}")
    print(
        f"  cached: {warm * 1000:7.1f} ms calls {warm_calls or 'none'}  (target: no call, < 50 ms)"
    )
    retried = cold_calls.get("GetProduct", 0) - args.products
    print(f"  throttled and retried: {retried} (target 0)")


if __name__ == "__main__":
    main()
