"""``import --sets``: the products every imported experience allows become a baseline set,
and the tree still round-trips (import, then plan: nothing to change)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pmp_reconcile.desired.loader import load_desired_state
from pmp_reconcile.errors import InputError
from pmp_reconcile.plan.make import make_plan
from pmp_reconcile.workflows import Target
from pmp_reconcile.workflows.importing import ImportRequest, import_marketplace

from rig import Rig

SPLUNK = "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69"
DATADOG = "prod-abcdefghij123"
TABLEAU = "prodview-tableau0001"
GUARD = "prod-guard000001"
SEED: list[dict[str, Any]] = [
    {
        "name": "Finance",
        "procurement_policy": {
            "allow": [SPLUNK, DATADOG, TABLEAU, GUARD],
            "notes": {GUARD: "SR-7 review", DATADOG: "finance only"},
        },
    },
    {
        "name": "Research",
        "procurement_policy": {
            "allow": [SPLUNK, DATADOG, GUARD],
            "deny": [TABLEAU],
            "notes": {GUARD: "SR-7 review"},
        },
    },
    {
        "name": "Ops",
        "procurement_policy": {"allow": [SPLUNK, DATADOG, GUARD], "notes": {GUARD: "SR-7 review"}},
    },
]


def _import(rig: Rig, out: Path) -> Any:
    target = Target(api_for=lambda caller: rig.api)
    return import_marketplace(ImportRequest(out=out, sets=True), target)


def test_import_with_sets_factors_the_baseline_and_plans_clean(tmp_path: Path, golden: Any) -> None:
    rig = Rig()
    rig.marketplace.seed({"experiences": SEED})
    out = tmp_path / "tree"
    out.mkdir()
    (out / "products.yaml").write_text(f"# our aliases\nproducts:\n  splunk: {SPLUNK}\n")
    result = _import(rig, out)
    products = (out / "products.yaml").read_text(encoding="utf-8")
    golden("importing/sets-products.yaml", products)
    research = (out / "experiences/research.yaml").read_text(encoding="utf-8")
    golden("importing/sets-research.yaml", re.sub(r"exp-[0-9a-z]{13}", "exp-…", research))
    assert products.startswith("# our aliases\n")
    # Datadog's note differs between experiences (Ops has none): it stays in each file.
    assert f"    - {DATADOG}" not in products
    assert result.notes == (
        f"2 product(s) every imported experience allows are in the "
        f"'baseline' set of {out / 'products.yaml'}",
    )
    desired = load_desired_state(out)
    assert {e.name: e.allowed for e in desired.experiences} == {
        e.name: e.allowed for e in rig.live().experiences
    }
    assert not make_plan(desired, rig.live()).has_changes


def test_import_with_sets_refuses_a_products_file_with_sets(tmp_path: Path) -> None:
    rig = Rig()
    rig.marketplace.seed({"experiences": SEED})
    out = tmp_path / "tree"
    out.mkdir()
    (out / "products.yaml").write_text("sets:\n  mine: [prod-abc]\n")
    with pytest.raises(InputError, match="already defines sets"):
        _import(rig, out)
    assert not (out / "experiences").exists()


def test_one_experience_makes_no_baseline(tmp_path: Path) -> None:
    rig = Rig()
    rig.marketplace.seed({"experiences": SEED[:1]})
    result = _import(rig, tmp_path / "tree")
    assert not (tmp_path / "tree/products.yaml").exists()
    assert result.notes == (
        "no product is allowed by every imported experience: no 'baseline' set",
    )


def test_import_into_a_tree_that_includes_a_shared_catalog(tmp_path: Path) -> None:
    rig = Rig()
    rig.marketplace.seed({"experiences": SEED})
    (tmp_path / "common").mkdir()
    (tmp_path / "common/products.yaml").write_text(f"products:\n  datadog: {DATADOG}\n")
    out = tmp_path / "orgs/one"
    out.mkdir(parents=True)
    (out / "pmp.yaml").write_text("include:\n  - ../../common/products.yaml\n")
    _import(rig, out)
    ops = (out / "experiences/ops.yaml").read_text(encoding="utf-8")
    assert "    - set: baseline\n    - datadog\n" in ops
    assert sorted(p.name for p in out.parent.iterdir()) == ["one"]  # the trial copy is gone
    assert not make_plan(load_desired_state(out), rig.live()).has_changes
