"""Sets shared by several experiences, from a products file outside the tree, end to end.

The real boto3 client against the in-process sandbox: plan, apply, converge to exactly the
expanded lists, and a second plan with nothing to do; then one edit to a set reads as one
change in the plan ("baseline: +1 product in 3 experiences").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from set_trees import COMMON, DATADOG, GUARD, GUARD_NOTE, SPLUNK, shared_tree

from pmp_reconcile.errors import ValidationFailed
from pmp_reconcile.plan.values import ActionKind
from pmp_reconcile.views.formats import OutputFormat
from pmp_reconcile.views.plan import render
from pmp_reconcile.workflows import ApplyRequest, Target, apply_changes, plan_directory

from rig import Rig

EXTRA = "prod-extra000001"
RISKY = "prod-risky000001"
NEW = "prod-newtool0001"
EXPERIENCES = {
    "finance": "name: Finance\nproducts:\n  allow:\n    - set: baseline\n    - prod-extra000001\n",
    "research": (
        "name: Research\nproducts:\n  allow:\n    - set: baseline\n"
        "  deny:\n    - prod-risky000001\n"
    ),
    "ops": "name: Ops\nproducts:\n  allow:\n    - set: observability\n",
}


def _tree(root: Path) -> Path:
    return shared_tree(root, EXPERIENCES)


def _target(rig: Rig) -> Target:
    return Target(api_for=lambda caller: rig.api, remote=False)


def _shown(document: Any, tmp: Path, form: OutputFormat) -> str:
    """The rendering with the sandbox's random experience ids and the test's folder masked."""
    return re.sub(r"exp-[0-9a-z]{13}", "exp-…", render(document, form).replace(str(tmp), "TMP"))


def test_shared_sets_apply_converge_and_plan_clean(tmp_path: Path, golden: Any) -> None:
    rig, tree = Rig(), _tree(tmp_path)
    document = plan_directory(tree, _target(rig)).to_document()
    assert document["via"]["finance"] == {
        DATADOG: "observability",
        GUARD: "baseline",
        SPLUNK: "observability",
    }
    golden("plan/sets.text", _shown(document, tmp_path, OutputFormat.TEXT))
    golden("plan/sets.md", _shown(document, tmp_path, OutputFormat.MARKDOWN))
    _, result = apply_changes(ApplyRequest(directory=tree), _target(rig), rig.executor)
    assert result.ok
    live = {e.name: e for e in rig.live().experiences}
    assert live["Finance"].allowed == {DATADOG, SPLUNK, GUARD, EXTRA}
    assert live["Research"].allowed == {DATADOG, SPLUNK, GUARD}
    assert live["Research"].denied == {RISKY}
    assert live["Ops"].allowed == {DATADOG, SPLUNK}
    assert dict(live["Finance"].notes) == {GUARD: GUARD_NOTE}
    assert not plan_directory(tree, _target(rig)).has_changes


def test_one_set_edit_is_counted_once_per_set(tmp_path: Path, golden: Any) -> None:
    rig, tree = Rig(), _tree(tmp_path)
    apply_changes(ApplyRequest(directory=tree), _target(rig), rig.executor)
    common = tmp_path / "common/products.yaml"
    common.write_text(COMMON.replace("    - splunk\n", f"    - splunk\n    - {NEW}\n"))
    plan = plan_directory(tree, _target(rig))
    allowed = {
        e.key: a.items
        for e in plan.experiences
        for a in e.actions
        if a.kind is ActionKind.ALLOW_PRODUCTS
    }
    assert allowed == {"finance": (NEW,), "research": (NEW,), "ops": (NEW,)}
    text = _shown(plan.to_document(), tmp_path, OutputFormat.TEXT)
    assert "  observability: +1 product in 3 experiences\n" in text
    assert f"+ {NEW} (via observability)" in text
    golden("plan/sets-edit.text", text)
    golden("plan/sets-edit.md", _shown(plan.to_document(), tmp_path, OutputFormat.MARKDOWN))


def test_a_cycle_of_sets_sends_nothing(tmp_path: Path) -> None:
    rig, tree = Rig(), _tree(tmp_path)
    common = tmp_path / "common/products.yaml"
    common.write_text(COMMON + "    - set: baseline\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        apply_changes(ApplyRequest(directory=tree), _target(rig), rig.executor)
    assert [f.code for f in failed.value.findings] == ["D046"]
    assert str(failed.value.findings[0].location) == f"{common}:8:3"
    assert rig.marketplace.change_sets == {}
