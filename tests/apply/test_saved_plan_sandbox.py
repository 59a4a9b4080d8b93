"""A saved plan checked against the in-process sandbox: open change sets and what moved.

Change sets this tool left open are waited for before the check; one another tool has open is
not: the plan is refused at once, naming it. Values edited through the API are named with
their old and new values.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_apply_sandbox import FINANCE, desired, product

from pmp_reconcile.errors import StalePlanError
from pmp_reconcile.model import Experience
from pmp_reconcile.sandbox import Progression
from pmp_reconcile.workflows.saved_plans import ensure_fresh, read_for_saved_plan

from rig import Rig, with_options


def slow_rig() -> tuple[Rig, str]:
    """FINANCE applied; change sets then take three describes to finish."""
    rig = Rig(settings=with_options(progression=Progression(mode="describes", describes=3)))
    _, result = rig.apply(desired(FINANCE))
    assert result.ok
    experience = rig.live().experiences[0]
    assert experience.id is not None
    return rig, experience.id


def describe_change(experience_id: str, text: str) -> dict[str, object]:
    return {
        "ChangeType": "UpdateExperience",
        "Entity": {"Type": "Experience@1.0", "Identifier": experience_id},
        "DetailsDocument": {"Description": text},
    }


def test_a_change_set_another_tool_has_open_refuses_the_plan_at_once() -> None:
    rig, experience_id = slow_rig()
    plan = rig.plan(desired(replace(FINANCE, description="planned")))
    started = rig.api.start_change_set(
        [describe_change(experience_id, "console")], "console edit", "t-console"
    )
    live = read_for_saved_plan(rig.api, rig.executor())
    assert [c.id for c in live.open_change_sets] == [started["ChangeSetId"]]
    with pytest.raises(StalePlanError) as raised:
        ensure_fresh(plan, live)
    assert (
        f"    change set 'console edit' ({started['ChangeSetId']}) by another tool is "
        "PREPARING on it"
    ) in raised.value.details
    assert f"  experience 'finance': 'Finance' {experience_id}" in raised.value.details


def test_a_change_set_of_this_tool_still_open_is_waited_for() -> None:
    rig, experience_id = slow_rig()
    edited: Experience = replace(FINANCE, description="planned")
    plan = rig.plan(desired(edited))
    rig.api.start_change_set(
        [describe_change(experience_id, "planned")], "pmp-reconcile finance wave 2", "t-ours"
    )
    live = read_for_saved_plan(rig.api, rig.executor())
    assert live.open_change_sets == ()
    with pytest.raises(StalePlanError) as raised:
        ensure_fresh(plan, live)
    assert "    description: (unset) → 'planned'" in raised.value.details


def test_products_and_description_edited_through_the_api_are_named() -> None:
    rig, experience_id = slow_rig()
    plan = rig.plan(desired(FINANCE))
    allow = {
        "ChangeType": "AllowProductProcurement",
        "Entity": {"Type": "Experience@1.0", "Identifier": experience_id},
        "DetailsDocument": {"Products": [{"Ids": [product(50)]}]},
    }
    started = rig.api.start_change_set(
        [describe_change(experience_id, "by hand"), allow], "console", "t-hand"
    )
    rig.executor().wait_for([started["ChangeSetId"]])
    with pytest.raises(StalePlanError) as raised:
        ensure_fresh(plan, read_for_saved_plan(rig.api, rig.executor()))
    assert "    description: (unset) → 'by hand'" in raised.value.details
    assert f"    products allowed by someone else (1): {product(50)}" in raised.value.details
