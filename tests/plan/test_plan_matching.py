"""Matching files to live experiences, unmanaged experiences, and principals that move."""

from __future__ import annotations

import pytest
from plan_builders import (
    ACCOUNT_A,
    ACCOUNT_B,
    ACCOUNT_C,
    ORG,
    OU,
    actions,
    codes,
    desired,
    experience,
    have,
    kinds,
    layout,
    live,
    plan_for,
    product,
    sent,
    want,
)

from pmp_reconcile.errors import Location, MatchError
from pmp_reconcile.model import Guardrails, OpenChangeSet, RequestPolicy, Status, UnmanagedPolicy
from pmp_reconcile.plan.codes import Severity
from pmp_reconcile.plan.values import ActionKind, ExperienceStatus

# --- matching ------------------------------------------------------------------------------


def test_pinned_id_adopts_an_experience_with_another_name() -> None:
    plan = plan_for(want("finance", "Finance", id="exp-1"), have("exp-1", "Old name"))
    entry = experience(plan, "finance")
    assert (entry.id, entry.status, entry.name) == ("exp-1", ExperienceStatus.UPDATE, "Finance")
    assert [(a.kind, a.before, a.after) for a in entry.actions] == [
        (ActionKind.RENAME, "Old name", "Finance")
    ]
    assert [(s.target, s.details) for s in sent(plan)] == [("exp-1", {"Name": "Finance"})]
    assert plan.summary.unmanaged == 0


def test_exact_name_adopts_without_id() -> None:
    plan = plan_for(
        want("finance", "Finance"), [have("exp-1", "Finance"), have("exp-2", "finance")]
    )
    assert experience(plan, "finance").id == "exp-1"
    assert experience(plan, "exp-2").status is ExperienceStatus.UNMANAGED
    assert not plan.has_changes


def test_a_different_name_without_id_creates_and_leaves_the_live_one_unmanaged() -> None:
    plan = plan_for(want("finance", "Finance EU"), have("exp-1", "Finance"))
    assert experience(plan, "finance").status is ExperienceStatus.CREATE
    assert experience(plan, "exp-1").status is ExperienceStatus.UNMANAGED
    assert codes(plan) == ["W101"]


def test_pinned_ids_claim_before_names() -> None:
    """A renamed experience never matches another file by its old name."""
    plan = plan_for(
        [want("renamed", "Renamed", id="exp-1"), want("finance", "Finance")],
        have("exp-1", "Finance"),
    )
    assert experience(plan, "renamed").id == "exp-1"
    assert experience(plan, "finance").status is ExperienceStatus.CREATE


def test_pinned_id_resolves_an_ambiguous_name() -> None:
    plan = plan_for(
        want("finance", "Finance", id="exp-2"), [have("exp-1", "Finance"), have("exp-2", "Finance")]
    )
    assert experience(plan, "finance").id == "exp-2"
    assert experience(plan, "exp-1").status is ExperienceStatus.UNMANAGED


def test_missing_pinned_id_is_an_error_at_the_file() -> None:
    wanted = want("finance", id="exp-gone")
    with pytest.raises(MatchError) as caught:
        plan_for(wanted, have("exp-1", "Finance"))
    error = caught.value
    assert "'finance' pins id exp-gone" in error.message
    assert error.location == Location("desired_state/experiences/finance.yaml", 1, 1)
    assert error.hint is not None
    assert "remove 'id:'" in error.hint


def test_two_live_experiences_with_the_name_is_an_error_naming_both() -> None:
    with pytest.raises(MatchError) as caught:
        plan_for(want("finance", "Finance"), [have("exp-b", "Finance"), have("exp-a", "Finance")])
    error = caught.value
    assert "2 live experiences are named 'Finance' (exp-a, exp-b)" in error.message
    assert error.hint == "add 'id:' with the one this file manages"


# --- unmanaged live experiences ------------------------------------------------------------


def test_unmanaged_ignored() -> None:
    plan = plan_for(
        desired(want("finance"), unmanaged=UnmanagedPolicy.IGNORE),
        live(have("exp-x", "Stray", principals=[ACCOUNT_A], requests=None)),
    )
    entry = experience(plan, "exp-x")
    assert (entry.key, entry.status, entry.actions) == (None, ExperienceStatus.UNMANAGED, ())
    assert codes(plan) == []
    assert plan.summary.unmanaged == 1
    assert [w for w, _, _ in layout(plan)] == [
        1
    ]  # only the creation of finance: one wave, the first


@pytest.mark.parametrize(
    ("policy", "status", "principals", "drift"),
    [
        (UnmanagedPolicy.WARN, Status.ENABLED, [ACCOUNT_A], True),
        (UnmanagedPolicy.WARN, Status.ENABLED, [], False),  # governs nobody
        (UnmanagedPolicy.WARN, Status.DISABLED, [ACCOUNT_A], False),  # governs nobody either
        (UnmanagedPolicy.IGNORE, Status.ENABLED, [ACCOUNT_A], False),  # outside the tree's scope
    ],
)
def test_an_unmanaged_experience_that_governs_accounts_is_drift_without_changes(
    policy: UnmanagedPolicy, status: Status, principals: list[str], drift: bool
) -> None:
    console = have("exp-x", "Console", status=status, principals=principals)
    plan = plan_for(
        desired(want("finance", id="exp-f"), unmanaged=policy),
        live(have("exp-f", "Finance"), console),
    )
    assert not plan.has_changes
    assert plan.drifted is drift
    assert plan.summary.unmanaged_governing == (1 if drift else 0)


def test_unmanaged_warned() -> None:
    plan = plan_for(
        desired(unmanaged=UnmanagedPolicy.WARN),
        live(
            have("exp-x", "Stray", principals=[ACCOUNT_A], requests=None),
            have("exp-y", "Quiet", principals=[ACCOUNT_B]),
            have("exp-z", "Lonely", requests=None),
        ),
    )
    found = [(w.code, w.experience, w.severity) for w in plan.warnings]
    # unmanaged experiences are listed by name: Lonely, Quiet, Stray
    assert found == [
        ("W101", "exp-z", Severity.WARNING),
        ("W101", "exp-y", Severity.WARNING),
        ("W101", "exp-x", Severity.WARNING),
        ("W104", "exp-x", Severity.WARNING),
    ]
    assert plan.warnings[0].message == (
        "live experience 'Lonely' (exp-z) has no file in the desired state"
    )
    assert not plan.has_changes


def test_unmanaged_archived_disables_then_restricts() -> None:
    plan = plan_for(
        desired(unmanaged=UnmanagedPolicy.ARCHIVE),
        live(
            have("exp-x", "Stray", status=Status.ENABLED, principals=[ACCOUNT_A]),
            have("exp-y", "Idle"),
            have("exp-z", "Gone", archived=True),
        ),
    )
    assert layout(plan) == [
        (1, "pmp-reconcile exp-x wave 1", ["UpdateExperience"]),
        (2, "pmp-reconcile exp-y wave 2", ["RestrictExperience"]),
        (2, "pmp-reconcile exp-x wave 2", ["RestrictExperience"]),
    ]
    assert next(s.details for s in sent(plan)) == {"Status": "Disabled"}
    assert kinds(plan, "exp-x") == [ActionKind.DISABLE, ActionKind.ARCHIVE]
    assert kinds(plan, "exp-y") == [ActionKind.ARCHIVE]
    assert kinds(plan, "exp-z") == []
    assert actions(plan, "exp-y")[0].reason == "unmanaged: archive (pmp.yaml)"
    assert codes(plan) == []
    assert (plan.summary.archive, plan.summary.unmanaged) == (2, 3)


def test_root_experience_disabled_by_unmanaged_archive_warns_w201() -> None:
    plan = plan_for(
        desired(unmanaged=UnmanagedPolicy.ARCHIVE),
        live(have("exp-root", "Root", status=Status.ENABLED, principals=[ORG])),
    )
    assert codes(plan) == ["W201"]
    assert plan.warnings[0].severity is Severity.WARNING


def test_open_change_sets_are_reported() -> None:
    found = live(
        have("exp-1", "Finance"),
        open_sets=[
            OpenChangeSet(id="cs-1", name="manual", status="APPLYING", entity_ids=("exp-1",))
        ],
    )
    plan = plan_for(desired(want("finance")), found)
    assert codes(plan) == ["W301"]
    assert plan.warnings[0].message == (
        "change set cs-1 ('manual') is APPLYING on exp-1; apply waits for it"
    )


# --- principals that move between experiences ----------------------------------------------


def test_moving_principal_leaves_in_wave_one_and_joins_in_wave_two() -> None:
    plan = plan_for(
        [want("alpha", principals=[ACCOUNT_B]), want("beta", principals=[ACCOUNT_A])],
        [
            have("exp-a", "Alpha", principals=[ACCOUNT_A, ACCOUNT_B]),
            have("exp-b", "Beta"),
        ],
    )
    assert [(s.wave, s.target, s.type, s.ids()) for s in sent(plan)] == [
        (1, "exp-a", "DisassociateAudience", [ACCOUNT_A]),
        (2, "exp-b", "AssociateAudience", [ACCOUNT_A]),
    ]
    removal = actions(plan, "alpha")[0]
    assert removal.kind is ActionKind.REMOVE_PRINCIPALS
    assert removal.reason.endswith(f"; leaving first for another experience: {ACCOUNT_A} → 'beta'")
    assert plan.waves[0].purpose.startswith("prepare")


def test_swapped_principals_both_leave_first() -> None:
    plan = plan_for(
        [want("alpha", principals=[ACCOUNT_B]), want("beta", principals=[ACCOUNT_A])],
        [
            have("exp-a", "Alpha", principals=[ACCOUNT_A, ACCOUNT_C]),
            have("exp-b", "Beta", principals=[ACCOUNT_B]),
        ],
    )
    assert [(s.wave, s.target, s.type, s.ids()) for s in sent(plan)] == [
        (1, "exp-a", "DisassociateAudience", [ACCOUNT_A]),
        (1, "exp-b", "DisassociateAudience", [ACCOUNT_B]),
        (2, "exp-a", "DisassociateAudience", [ACCOUNT_C]),
        (2, "exp-a", "AssociateAudience", [ACCOUNT_B]),
        (2, "exp-b", "AssociateAudience", [ACCOUNT_A]),
    ]
    assert plan.summary.principals_removed == 3


def test_principal_moves_out_of_an_ignored_unmanaged_experience() -> None:
    plan = plan_for(
        desired(want("beta", principals=[OU]), unmanaged=UnmanagedPolicy.IGNORE),
        live(have("exp-x", "Stray", principals=[OU, ACCOUNT_A]), have("exp-b", "Beta")),
    )
    assert [(s.wave, s.target, s.type, s.ids()) for s in sent(plan)] == [
        (1, "exp-x", "DisassociateAudience", [OU]),
        (2, "exp-b", "AssociateAudience", [OU]),
    ]
    assert kinds(plan, "exp-x") == [ActionKind.REMOVE_PRINCIPALS]


def test_principal_moves_into_a_new_experience() -> None:
    plan = plan_for(
        [want("alpha"), want("beta", principals=[ACCOUNT_A])],
        [have("exp-a", "Alpha", principals=[ACCOUNT_A])],
    )
    moves = [(s.wave, s.target, s.type) for s in sent(plan) if "Audience" in s.type]
    assert moves == [
        (1, "exp-a", "DisassociateAudience"),
        (2, "$NewExperience.Entity.Identifier", "AssociateAudience"),
    ]


def test_principal_held_by_an_archived_experience_leaves_it_first() -> None:
    """The reader shows the archived experience's principals; the sandbox refuses the move."""
    plan = plan_for(
        [want("alpha", archived=True), want("beta", principals=[ACCOUNT_A])],
        [have("exp-a", "Alpha", archived=True, principals=[ACCOUNT_A]), have("exp-b", "Beta")],
    )
    assert [(s.wave, s.target, s.type, s.ids()) for s in sent(plan)] == [
        (1, "exp-a", "DisassociateAudience", [ACCOUNT_A]),
        (2, "exp-b", "AssociateAudience", [ACCOUNT_A]),
    ]


def test_principal_held_by_a_revived_experience_leaves_in_wave_one() -> None:
    plan = plan_for(
        [want("alpha"), want("beta", principals=[ACCOUNT_A])],
        [have("exp-a", "Alpha", archived=True, principals=[ACCOUNT_A]), have("exp-b", "Beta")],
    )
    assert [(s.wave, s.target, s.type, s.ids()) for s in sent(plan)] == [
        (1, "exp-a", "ReviveExperience", []),
        (1, "exp-a", "DisassociateAudience", [ACCOUNT_A]),
        (2, "exp-b", "AssociateAudience", [ACCOUNT_A]),
    ]


def test_moves_are_not_counted_as_principal_removals_by_guardrails() -> None:
    movers = [f"2000000000{n:02d}" for n in range(3)]
    plan = plan_for(
        desired(
            want("alpha"),
            want("beta", principals=movers),
            guardrails=Guardrails(max_principal_removals=0),
        ),
        live(have("exp-a", "Alpha", principals=movers), have("exp-b", "Beta")),
    )
    assert codes(plan) == []


def test_requests_none_in_file_leaves_live_policy_alone() -> None:
    plan = plan_for(
        want("finance", requests=None), have("exp-1", "Finance", requests=RequestPolicy.DENY)
    )
    assert not plan.has_changes
    assert kinds(plan, "finance") == []


def test_no_policy_live_with_products_creates_policy_in_the_same_set() -> None:
    plan = plan_for(want("finance", allowed=[product(1)]), have("exp-1", "Finance", requests=None))
    assert layout(plan) == [
        (
            1,
            "pmp-reconcile finance wave 1",
            ["CreateProcurementPolicy", "AllowProductProcurement"],
        )
    ]
    assert plan.warnings[0].message == (
        "experience 'finance' has no procurement policy live: its audience may buy every "
        "product until the plan is applied"
    )
