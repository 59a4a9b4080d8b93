"""The apply result as a user reads it: text and markdown goldens of the cases that differ."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pmp_reconcile.apply.result import ApplyResult, ChangeError, ChangeSetResult, Outcome
from pmp_reconcile.views.apply import render_result_markdown, render_result_text

Golden = Callable[[str, str], None]


def _set(name: str, outcome: Outcome, wave: int = 2) -> ChangeSetResult:
    return ChangeSetResult(experience="finance", wave=wave, name=name, outcome=outcome)


FAILED = ApplyResult(
    plan_digest="d",
    change_sets=(
        _set("pmp-reconcile finance wave 2", Outcome.FAILED).model_copy(
            update={
                "change_set_id": "cs-1",
                "failure_code": "CLIENT_ERROR",
                "errors": (
                    ChangeError(
                        change_type="UpdateInformation",
                        code="VALIDATION_ERROR",
                        message="bad description",
                        experience="finance",
                        file="experiences/finance.yaml",
                    ),
                ),
            }
        ),
    ),
    drift=("finance: description",),
)
SAVED_PLAN = ApplyResult(
    plan_digest="d",
    change_sets=(_set("pmp-reconcile finance wave 2", Outcome.SUCCEEDED),),
    tree_changed=("finance: description",),
)
RESULTS = {"failed": FAILED, "saved-plan-tree-changed": SAVED_PLAN}


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_apply_result_goldens(name: str, golden: Golden) -> None:
    golden(f"apply/{name}.text", render_result_text(RESULTS[name]))
    golden(f"apply/{name}.md", render_result_markdown(RESULTS[name]))


def test_what_a_failed_change_set_left_undone_is_not_called_drift() -> None:
    assert "rift" not in render_result_markdown(FAILED)
    assert "rift" not in render_result_text(FAILED)


def test_a_tree_that_moved_on_after_the_plan_is_a_note_not_a_failure() -> None:
    assert SAVED_PLAN.ok
    assert render_result_text(SAVED_PLAN).endswith("Apply complete: 1 succeeded.\n")
