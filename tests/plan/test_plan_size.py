"""The live values a plan records stay compact: 100 experiences × 300 products ≈ 1 MB.

Sizes are of the file ``plan --out`` writes (indented JSON), which CI uploads and keeps.
"""

from __future__ import annotations

import json

from plan_builders import ACCOUNTS, desired, have, live, plan_for, want

from pmp_reconcile.model import Status

EXPERIENCES, PRODUCTS = 100, 300
MEGABYTE = 1_000_000


def _products(experience: int) -> list[str]:
    return [f"prodview-a{experience:03d}x{n:08d}" for n in range(PRODUCTS)]


def test_a_plan_of_100_experiences_with_300_products_stays_under_two_megabytes() -> None:
    found = live(
        *[
            have(f"exp-{e}", f"Exp {e}", status=Status.ENABLED, principals=[ACCOUNTS[e]],
                 allowed=_products(e))
            for e in range(EXPERIENCES)
        ]
    )  # fmt: skip
    wanted = desired(
        *[
            want(f"k{e}", f"Exp {e}", status=Status.ENABLED, principals=[ACCOUNTS[e]],
                 allowed=_products(e))
            for e in range(EXPERIENCES)
        ]
    )  # fmt: skip
    document = plan_for(wanted, found).to_document()
    recorded = document["live"]
    assert len(recorded) == EXPERIENCES
    assert sum(len(r.get("allowed", [])) for r in recorded.values()) == EXPERIENCES * PRODUCTS
    assert len(json.dumps(recorded, indent=2)) < 1.2 * MEGABYTE
    assert len(json.dumps(document, indent=2, ensure_ascii=False)) < 2 * MEGABYTE
