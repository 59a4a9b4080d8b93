"""How long users wait for `pmp-reconcile plan`, measured the way they run it.

The installed CLI runs as a subprocess against `pmp-reconcile sandbox serve` (its own process,
documented request rates enforced, 20 ms latency per call), on a desired tree that matches the
seeded marketplace (so the plan is empty). Side by side in the same run, a sequential reader
lists everything and calls DescribeEntity once per entity against the same server.

0. `pmp-reconcile --help`: how long the CLI takes to start (target < 0.2 s).
1. 100 experiences × 300 products: the CLI's wall time against the sequential reader
   (target ≥ 20x) and its read calls against the minimum (target ≤ 1.1x).
2. 300 × 1,000 and 1,000 × 2,000: the CLI's wall time and peak RSS
   (targets: under 5 s and 1 GB; under 15 s and 1.5 GB).

Under each, the second line: the same read, tree load and plan in this process (no CLI start,
no process of its own), and the read calls against the minimum.

The CLI runs as users install it: a wheel of this checkout, installed (and so compiled to
bytecode) in a scratch environment that borrows this one's dependencies, so the timings carry
neither an editable install's import hook nor modules compiled on first use (building the
wheel takes a few seconds and pip's build backend from the package index). The sandbox is
seeded with its own state document, so millions of ids load in seconds. Each CLI figure is
the median of --runs runs (one run at a million ids and more); CPU time (user + system) is
printed beside wall time, as other work on the machine inflates wall time most. Every timed
read (each CLI run, the in-process steps, the sequential reader) starts after a pause that
lets the server's request quotas fill again, as a plan in CI starts: one run must not wait
out the throttling the run before it caused.
PMP_BENCH_SIZES (e.g. 300x1000) replaces the default sizes after 100x300: 1,000 x 2,000 takes
a few minutes. Needs only the project's own dependencies.

Run: .venv/bin/python benchmarks/cli_plan.py [--runs N] [--sizes 300x1000,1000x2000]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.catalog.reader import LiveReader
from pmp_reconcile.collector import collector_paused
from pmp_reconcile.desired.loader import load_desired_state
from pmp_reconcile.plan.make import make_plan
from pmp_reconcile.sandbox import Marketplace
from pmp_reconcile.sandbox.effects import statements

sys.path.insert(0, str(Path(__file__).parent))
from plan_scale import ENTITY_TYPES, product_id, seed_document

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CLI = str(BIN / "pmp-reconcile")  # this checkout's command: it serves the sandbox
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
}
TARGETS = {(300, 1000): (5.0, 1024.0), (1000, 2000): (15.0, 1536.0)}
DEFAULT_SIZES = "300x1000,1000x2000"
#: Seconds for the server's buckets to fill again (20 calls a second at most, 20 at once).
QUOTA_REFILL = 1.5


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float
    peak_mb: float
    stdout: str


def write_tree(root: Path, experiences: int, products: int) -> Path:
    """The desired tree that describes the seeded marketplace exactly."""
    folder = root / "desired" / "experiences"
    folder.mkdir(parents=True)
    # Names are measured by product_names.py: here the reader and planner alone (no Discovery).
    settings = "unmanaged_experiences: warn\nproduct_checks: off\n"
    (root / "desired" / "pmp.yaml").write_text(settings, encoding="utf-8")
    for i in range(experiences):
        allow = "".join(f"    - {product_id(i * products + p)}\n" for p in range(products))
        (folder / f"e{i:04d}.yaml").write_text(
            f"name: Experience {i:04d}\n"
            "status: enabled\n"
            "software_requests: deny\n"
            f"principals: ['{100000000000 + i:012d}']\n"
            f"products:\n  allow:\n{allow}"
            f"branding:\n  title: Marketplace {i}\n  theme_color: '#0A66C2'\n",
            encoding="utf-8",
        )
    return root / "desired"


def state_seed(experiences: int, products: int) -> dict[str, Any]:
    """The seeded marketplace as the sandbox's state document, which it loads as it is.

    Seeding the experiences' lists change by change (50 ids a change, as the API takes them)
    takes the sandbox many minutes at millions of ids: it seeds one product per experience and
    the benchmark writes the rest of each policy, in the sandbox's own statement shape.
    """
    marketplace = Marketplace()
    marketplace.seed(seed_document(experiences, 1))
    document = marketplace.to_document()
    by_id = {entity["id"]: entity for entity in document["entities"]}
    for entity in document["entities"]:
        if entity["type"] == "Experience":
            index = int(entity["document"]["Name"].rsplit(" ", 1)[1])
            policy = by_id[entity["document"]["ProcurementPolicies"][0]]["document"]
            allowed = [product_id(index * products + p) for p in range(products)]
            policy["Statements"] = statements(dict.fromkeys(allowed, ("Allow", None)))
    return document


def write_inputs(root: Path, experiences: int, products: int, latency: float) -> None:
    seed = state_seed(experiences, products)
    (root / "seed.json").write_text(json.dumps(seed), encoding="utf-8")
    settings = {"state": {"progression": {"mode": "immediate"}}, "faults": {"latency": latency}}
    (root / "settings.json").write_text(json.dumps(settings), encoding="utf-8")


@contextmanager
def served(root: Path) -> Iterator[str]:
    """`pmp-reconcile sandbox serve` on a free port, quotas on; yields its URL."""
    command = [CLI, "sandbox", "serve", "--throttle", "--seed", str(root / "seed.json")]
    command += ["--settings", str(root / "settings.json")]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if "listening on" not in line:
            raise RuntimeError(f"the sandbox did not start: {line!r}")
        yield line.rsplit(" ", 1)[1].strip()
    finally:
        server.terminate()
        server.wait(timeout=30)


def install_wheel(scratch: Path) -> str:
    """The command as a user installs it: a wheel of this checkout (its package and project
    files copied first, so nothing stale from an earlier build gets in) installed without its
    dependencies in a new environment, which finds them in this one through a ``.pth`` file."""
    source = scratch / "source"
    package = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "pmp_reconcile", source / "pmp_reconcile", ignore=package)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    _pip("wheel", "--no-deps", "--wheel-dir", str(scratch / "dist"), str(source))
    environment = scratch / "environment"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", environment], check=True)
    python = environment / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next((scratch / "dist").glob("pmp_reconcile-*.whl"))
    _pip("--python", str(python), "install", "--no-deps", "--no-index", str(wheel))
    return str(environment / "bin" / "pmp-reconcile")


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "-q", *args], check=True)


def run_cli(cli: str, args: list[str]) -> Run:
    """One CLI run: wall time, and the peak RSS of that process alone (from wait4)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [cli, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=_cli_environment(),
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    text = output.decode("utf-8", "replace")
    if child.returncode != 0:
        raise RuntimeError(f"pmp-reconcile {' '.join(args)} failed:\n{text}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text)


def _cli_environment() -> dict[str, str]:
    environment = {**os.environ, **CREDENTIALS}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)  # users' installs have their bytecode
    return environment


def plan_runs(cli: str, url: str, tree: Path, runs: int) -> list[Run]:
    """Each run as a plan in CI meets the account: its request quotas full. Run back to back,
    a run would start while the server's buckets still refill from the one before (about
    0.6 s after its last describe) and wait out throttling that run caused."""
    args = ["--endpoint-url", url, "plan", str(tree), "--detailed-exitcode"]
    # --detailed-exitcode exits 2 on changes, which run_cli refuses: the plan must be empty
    results = []
    for _ in range(runs):
        time.sleep(QUOTA_REFILL)  # not timed
        results.append(run_cli(cli, args))
    return results


def sequential_read(url: str) -> tuple[float, int]:
    """The naive reader: list everything, then one DescribeEntity per entity, in turn."""
    client = boto3.client("marketplace-catalog", endpoint_url=url, **_client_credentials())
    api = CatalogApi(client)
    time.sleep(QUOTA_REFILL)
    start = time.perf_counter()
    for entity_type in ENTITY_TYPES:
        for summary in list(api.list_entities(entity_type)):
            api.describe_entity(summary["EntityId"])
    return time.perf_counter() - start, api.calls.total


def _client_credentials() -> dict[str, Any]:
    return {
        "region_name": CREDENTIALS["AWS_DEFAULT_REGION"],
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }


@dataclass(frozen=True)
class InProcess:
    """The plan's steps in this process: no CLI start, the tree loaded after the read."""

    read: float
    reads: int
    load: float
    plan: float


def in_process(url: str, tree: Path) -> InProcess:
    """The steps one after the other, the collector paused as the CLI pauses it; first a
    pause for the server's request quotas to refill after the runs before."""
    time.sleep(QUOTA_REFILL)
    client = boto3.client("marketplace-catalog", endpoint_url=url, **_client_credentials())
    api = CatalogApi(client)
    with collector_paused():
        start = time.perf_counter()
        live = LiveReader(api).read()
        read = time.perf_counter() - start
        start = time.perf_counter()
        desired = load_desired_state(tree)
        load = time.perf_counter() - start
    start = time.perf_counter()
    plan = make_plan(desired, live)
    planned = time.perf_counter() - start
    assert not plan.has_changes, "the tree describes the seeded marketplace"
    return InProcess(read, api.calls.total, load, planned)


def print_in_process(steps: InProcess, experiences: int) -> None:
    minimum = 2 * math.ceil(experiences / 50) + math.ceil(4 * experiences / 20)
    total = steps.read + steps.load + steps.plan
    print(
        f"  in process             : {total:8.2f} s  (read {steps.read:.2f} s, load the tree "
        f"{steps.load:.2f} s, plan {steps.plan:.2f} s)"
    )
    ratio = steps.reads / minimum
    print(f"  read calls vs minimum  : {steps.reads} / {minimum} = {ratio:.2f}x (target <= 1.1x)")


def bench_start(cli: str, runs: int) -> None:
    results = [run_cli(cli, ["--help"]) for _ in range(max(runs, 5))]
    seconds = statistics.median(r.seconds for r in results)
    print("CLI start (pmp-reconcile --help)")
    print(
        f"  wall time              : {seconds:8.2f} s  (median of {len(results)}; target < 0.2 s)"
    )


def median_run(results: list[Run]) -> tuple[float, float, float]:
    """Median wall time, median CPU time (what a busy machine inflates less) and peak RSS."""
    return (
        statistics.median(r.seconds for r in results),
        statistics.median(r.cpu for r in results),
        max(r.peak_mb for r in results),
    )


def bench_ratio(cli: str, root: Path, experiences: int, products: int, runs: int) -> None:
    tree = write_tree(root, experiences, products)
    with served(root) as url:
        seconds, cpu, peak = median_run(plan_runs(cli, url, tree, runs))
        steps = in_process(url, tree)
        slow, slow_calls = sequential_read(url)
    entities = 4 * experiences
    print(f"CLI plan of {experiences} experiences x {products} products ({entities} entities)")
    print(f"  pmp-reconcile plan     : {seconds:8.2f} s  (median of {runs}; peak {peak:.0f} MB)")
    print(f"  its CPU time           : {cpu:8.2f} s  (user + system)")
    print(f"  sequential describes   : {slow:8.2f} s  ({slow_calls} calls)")
    print(f"  speed-up               : {slow / seconds:8.1f}x  (target >= 20x)")
    print_in_process(steps, experiences)


def bench_scale(cli: str, root: Path, experiences: int, products: int, runs: int) -> None:
    runs = 1 if experiences * products >= 1_000_000 else runs
    tree = write_tree(root, experiences, products)
    with served(root) as url:
        seconds, cpu, peak = median_run(plan_runs(cli, url, tree, runs))
        steps = in_process(url, tree)
    limit_s, limit_mb = TARGETS.get((experiences, products), (math.inf, math.inf))
    print(f"CLI plan of {experiences} experiences x {products} products")
    target = f"median of {runs}; target < {limit_s:g} s"
    print(f"  wall time              : {seconds:8.2f} s  ({target})")
    print(f"  CPU time               : {cpu:8.2f} s  (user + system)")
    print(f"  peak RSS               : {peak:8.0f} MB (target < {limit_mb:g} MB)")
    print_in_process(steps, experiences)


def _sizes(text: str) -> list[tuple[int, int]]:
    pairs = (part.split("x") for part in text.split(","))
    return [(int(e), int(p)) for e, p in pairs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--ratio-size", type=_sizes, default=[(100, 300)])
    sizes = os.environ.get("PMP_BENCH_SIZES") or DEFAULT_SIZES
    parser.add_argument("--sizes", type=_sizes, default=_sizes(sizes))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pmp-bench-install-") as installed:
        cli = install_wheel(Path(installed))
        load = ", ".join(f"{average:.1f}" for average in os.getloadavg())
        print(f"machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min)")
        bench_start(cli, args.runs)
        for experiences, products in args.ratio_size:
            with tempfile.TemporaryDirectory(prefix="pmp-bench-") as scratch:
                write_inputs(Path(scratch), experiences, products, args.latency)
                bench_ratio(cli, Path(scratch), experiences, products, args.runs)
        for experiences, products in args.sizes:
            with tempfile.TemporaryDirectory(prefix="pmp-bench-") as scratch:
                write_inputs(Path(scratch), experiences, products, args.latency)
                bench_scale(cli, Path(scratch), experiences, products, args.runs)


if __name__ == "__main__":
    main()
