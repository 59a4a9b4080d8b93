"""No-op plans, and idempotence: planning against the state a plan leads to finds nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from plan_builders import (
    ACCOUNT_A,
    ACCOUNT_B,
    ACCOUNT_C,
    ORG,
    OU,
    as_live,
    desired,
    have,
    live,
    plan_for,
    product,
    products,
    want,
)

from pmp_reconcile.model import Branding, Experience, RequestPolicy, Status, UnmanagedPolicy
from pmp_reconcile.plan.values import ExperienceStatus
from pmp_reconcile.views.plan_text import render_text

FULL = want(
    "finance",
    "Finance",
    description="Finance tools",
    status=Status.ENABLED,
    requests=RequestPolicy.DENY,
    principals=[ACCOUNT_A, OU],
    allowed=products(0, 70),
    denied=[product(99)],
    branding=Branding(title="Finance", theme_color="#112233"),
)


def test_desired_equal_to_live_plans_nothing() -> None:
    found = [
        as_live(FULL, "exp-1"),
        have("exp-2", "Ops", principals=[ORG], status=Status.ENABLED),
        have("exp-3", "Old", archived=True),
    ]
    wanted = [
        FULL,
        want("ops", "Ops", principals=[ORG], status=Status.ENABLED),
        want("old", "Old", archived=True),
    ]
    plan = plan_for(wanted, found)
    assert plan.waves == ()
    assert plan.has_changes is False
    assert plan.warnings == ()
    assert [(e.key, e.status, e.actions) for e in plan.experiences] == [
        ("finance", ExperienceStatus.UNCHANGED, ()),
        ("ops", ExperienceStatus.UNCHANGED, ()),
        ("old", ExperienceStatus.UNCHANGED, ()),
    ]
    summary = plan.summary
    assert (summary.unchanged, summary.change_sets, summary.waves) == (3, 0, 0)
    assert render_text(plan.to_document()) == (
        "\nNo changes. The private marketplace matches the desired state.\n".lstrip("\n")
    )


def test_empty_desired_and_live() -> None:
    plan = plan_for([], [])
    assert (plan.experiences, plan.waves, plan.has_changes) == ((), (), False)


Scenario = Callable[[], tuple[list[Experience], list[Experience], list[Experience]]]


def _create() -> tuple[list[Experience], list[Experience], list[Experience]]:
    return [FULL], [], [as_live(FULL, "exp-new")]


def _update_everything() -> tuple[list[Experience], list[Experience], list[Experience]]:
    before = have(
        "exp-1",
        "Finance",
        description="old",
        principals=[ACCOUNT_B],
        allowed=products(50, 140),
        denied=[product(3)],
        branding=Branding(title="Old", information="kept"),
    )
    return [FULL], [before], [as_live(FULL, "exp-1", before)]


def _move() -> tuple[list[Experience], list[Experience], list[Experience]]:
    alpha, beta = want("alpha", principals=[ACCOUNT_B]), want("beta", principals=[ACCOUNT_A])
    before = [
        have("exp-a", "Alpha", principals=[ACCOUNT_A, ACCOUNT_C]),
        have("exp-b", "Beta", principals=[ACCOUNT_B]),
    ]
    after = [as_live(alpha, "exp-a", before[0]), as_live(beta, "exp-b", before[1])]
    return [alpha, beta], before, after


def _archive_and_revive() -> tuple[list[Experience], list[Experience], list[Experience]]:
    gone, back = want("gone", archived=True), want("back", status=Status.ENABLED)
    before = [
        have("exp-g", "Gone", status=Status.ENABLED, allowed=[product(1)]),
        have("exp-b", "Back", archived=True),
    ]
    after = [as_live(gone, "exp-g", before[0]), as_live(back, "exp-b", before[1])]
    return [gone, back], before, after


def _rename_and_adopt_without_policy() -> tuple[
    list[Experience], list[Experience], list[Experience]
]:
    pinned = want("finance", "Finance EU", id="exp-1", requests=RequestPolicy.DENY)
    before = [have("exp-1", "Finance", requests=None)]
    return [pinned], before, [as_live(pinned, "exp-1", before[0])]


@pytest.mark.parametrize(
    "scenario",
    [_create, _update_everything, _move, _archive_and_revive, _rename_and_adopt_without_policy],
)
def test_planning_against_the_intended_state_finds_nothing(scenario: Scenario) -> None:
    wanted, before, after = scenario()
    first = plan_for(wanted, before)
    assert first.has_changes
    again = plan_for(wanted, after)
    assert again.waves == ()
    assert again.has_changes is False
    assert {e.status for e in again.experiences} == {ExperienceStatus.UNCHANGED}
    assert [w.code for w in again.warnings] == []


def test_unmanaged_archived_after_apply_plans_nothing() -> None:
    policy = UnmanagedPolicy.ARCHIVE
    first = plan_for(desired(unmanaged=policy), live(have("exp-x", "Stray", status=Status.ENABLED)))
    again = plan_for(desired(unmanaged=policy), live(have("exp-x", "Stray", archived=True)))
    assert first.has_changes
    assert not again.has_changes
    assert again.warnings == ()
