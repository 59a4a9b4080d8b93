"""Reading a 500-account organization for plan --org-impact and map: calls and wall time.

The organization (10 OUs of 50 accounts under one OU, beside the demo's) is seeded into the
sandbox's moto in process, then read top-down by the reader exactly as the CLI reads it: paced
at the reader's rate, cached per run. Prints the calls per operation, the wall time, and the
floor that pacing alone sets (calls ÷ rate).
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from pmp_reconcile.catalog.client import ConnectionOptions
from pmp_reconcile.org.reader import ORGANIZATIONS_RATE, OrganizationsReader, organizations_client
from pmp_reconcile.sandbox.organizations import OrganizationsSandbox

SEED = Path(__file__).resolve().parents[1] / "examples" / "sandbox-seed.json"


def organization(ous: int, accounts: int) -> dict[str, Any]:
    document = json.loads(SEED.read_text(encoding="utf-8"))["organization"]
    teams = [
        {
            "id": f"ou-ab12-team{o:04d}",
            "children": [{"id": f"{100000000000 + o * 1000 + a}"} for a in range(accounts)],
        }
        for o in range(ous)
    ]
    document["root"]["children"].append({"id": "ou-ab12-bigunit1", "children": teams})
    return document


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        sandbox = OrganizationsSandbox(Path(home))
        sandbox.write(organization(10, 50))
        client = organizations_client(ConnectionOptions(credentials=("x", "x")), sandbox.attach)
        calls: Counter[str] = Counter()
        client.meta.events.register(
            "before-call.organizations", lambda model, **_: calls.update([model.name])
        )
        started = time.perf_counter()
        tree = OrganizationsReader(client).whole_tree()
        elapsed = time.perf_counter() - started
    accounts = sum(1 for node in tree.members() if node.isdigit())
    total = sum(calls.values())
    print(f"organization: {accounts} accounts, {len(tree.parents) - accounts} OUs")
    for operation, count in sorted(calls.items()):
        print(f"  {operation:<36} {count:>4} calls")
    print(f"  {'total':<36} {total:>4} calls")
    print(f"wall time {elapsed:.1f} s; pacing floor {total / ORGANIZATIONS_RATE:.1f} s")
    print(f"ratio to the floor: {elapsed / (total / ORGANIZATIONS_RATE):.2f}x")


if __name__ == "__main__":
    main()
