"""Guardrails from pmp.yaml: error-level crossings (G001-G003) and the root-disable warning."""

from __future__ import annotations

from typing import Any

import pytest
from plan_builders import (
    ACCOUNT_A,
    ACCOUNT_B,
    ACCOUNT_C,
    ORG,
    OU,
    codes,
    desired,
    have,
    live,
    plan_for,
    products,
    want,
)

from pmp_reconcile.model import Guardrails, Status, UnmanagedPolicy
from pmp_reconcile.plan.codes import Severity


def _removing_products(count: int, limit: int | None = None) -> list[str]:
    rails = Guardrails() if limit is None else Guardrails(max_product_removals=limit)
    plan = plan_for(
        desired(want("finance", denied=products(500, 520)), guardrails=rails),
        live(have("exp-1", "Finance", allowed=products(0, count))),
    )
    return codes(plan)


@pytest.mark.parametrize(
    ("count", "limit", "expected"),
    [
        (25, None, []),
        (26, None, ["G001"]),
        (2, 2, []),
        (3, 2, ["G001"]),
        (1, 0, ["G001"]),
        (0, 0, []),
    ],
)
def test_product_removals_threshold(count: int, limit: int | None, expected: list[str]) -> None:
    """Only products that lose a live approval count; explicit denials of others do not."""
    assert _removing_products(count, limit) == expected


def test_product_removals_add_up_across_experiences() -> None:
    plan = plan_for(
        desired(want("a"), want("b"), guardrails=Guardrails(max_product_removals=3)),
        live(
            have("exp-a", "A", allowed=products(0, 2)), have("exp-b", "B", allowed=products(2, 4))
        ),
    )
    crossing = plan.guardrail_crossings()
    assert [(w.code, w.severity, w.experience) for w in crossing] == [
        ("G001", Severity.ERROR, None)
    ]
    assert crossing[0].message == (
        "4 product(s) lose their approval; guardrails.max_product_removals is 3 "
        "(apply needs --allow-destructive)"
    )


@pytest.mark.parametrize(("removed", "expected"), [(1, []), (2, ["G002"])])
def test_principal_removals_threshold(removed: int, expected: list[str]) -> None:
    kept, gone = [ACCOUNT_A], [ACCOUNT_B, ACCOUNT_C, OU][:removed]
    plan = plan_for(
        desired(want("finance", principals=kept), guardrails=Guardrails(max_principal_removals=1)),
        live(have("exp-1", "Finance", principals=kept + gone)),
    )
    assert codes(plan) == expected
    if expected:
        assert plan.warnings[0].message == (
            "2 principal(s) are disassociated; guardrails.max_principal_removals is 1 "
            "(apply needs --allow-destructive)"
        )


@pytest.mark.parametrize(
    ("wanted_fields", "live_fields", "harm"),
    [
        ({}, {"status": Status.ENABLED}, "disabled"),
        ({"archived": True}, {"status": Status.ENABLED}, "disabled and archived"),
        ({"archived": True}, {}, "archived"),
        ({}, {"principals": [ACCOUNT_A, ACCOUNT_B]}, "loses 2 principal(s)"),
        (
            {"principals": [ACCOUNT_A]},
            {"status": Status.ENABLED, "principals": [ACCOUNT_A, ACCOUNT_B]},
            "disabled and loses 1 principal(s)",
        ),
    ],
)
def test_protected_experience(
    wanted_fields: dict[str, Any], live_fields: dict[str, Any], harm: str
) -> None:
    plan = plan_for(
        desired(want("finance", **wanted_fields), guardrails=Guardrails(protected=("finance",))),
        live(have("exp-1", "Finance", **live_fields)),
    )
    crossing = [w for w in plan.warnings if w.code == "G003"]
    assert [(w.severity, w.experience) for w in crossing] == [(Severity.ERROR, "finance")]
    assert crossing[0].message == (
        f"protected experience 'finance' would be {harm} (apply needs --allow-destructive)"
    )


def test_protected_experience_may_grow_and_be_enabled() -> None:
    plan = plan_for(
        desired(
            want("finance", status=Status.ENABLED, principals=[ACCOUNT_A, ACCOUNT_B]),
            guardrails=Guardrails(protected=("finance",), max_principal_removals=0),
        ),
        live(have("exp-1", "Finance", principals=[ACCOUNT_A])),
    )
    assert plan.has_changes
    assert codes(plan) == []
    assert plan.guardrail_crossings() == ()


def test_unprotected_experience_may_be_disabled() -> None:
    plan = plan_for(
        desired(want("finance"), guardrails=Guardrails(protected=("other",))),
        live(have("exp-1", "Finance", status=Status.ENABLED)),
    )
    assert codes(plan) == []


def test_unmanaged_archive_is_not_a_protected_crossing() -> None:
    plan = plan_for(
        desired(
            unmanaged=UnmanagedPolicy.ARCHIVE, guardrails=Guardrails(protected=("exp-1", "Stray"))
        ),
        live(have("exp-1", "Stray", status=Status.ENABLED)),
    )
    assert plan.has_changes
    assert codes(plan) == []


def test_disabling_the_root_experience_warns_w201() -> None:
    plan = plan_for(
        want("root", principals=[ORG]),
        have("exp-1", "Root", status=Status.ENABLED, principals=[ORG]),
    )
    warning = plan.warnings[-1]
    assert codes(plan) == ["W201"]
    assert (warning.severity, warning.experience) == (Severity.WARNING, "root")
    assert plan.guardrail_crossings() == ()
    assert warning.message.startswith("experience 'root' governs the whole organization")


@pytest.mark.parametrize(
    ("live_principals", "wanted_status", "live_status"),
    [
        ([OU], Status.DISABLED, Status.ENABLED),
        ([ORG], Status.ENABLED, Status.DISABLED),
        ([ORG], Status.ENABLED, Status.ENABLED),
    ],
)
def test_no_w201_without_the_organization_or_without_disabling(
    live_principals: list[str], wanted_status: Status, live_status: Status
) -> None:
    plan = plan_for(
        want("root", status=wanted_status, principals=live_principals),
        have("exp-1", "Root", status=live_status, principals=live_principals),
    )
    assert "W201" not in codes(plan)


def test_crossings_are_listed_first_and_all_of_them() -> None:
    plan = plan_for(
        desired(
            want("finance", principals=[ORG]),
            guardrails=Guardrails(
                max_product_removals=0, max_principal_removals=0, protected=("finance",)
            ),
        ),
        live(
            have(
                "exp-1",
                "Finance",
                status=Status.ENABLED,
                principals=[ORG, ACCOUNT_A],
                allowed=products(0, 1),
            ),
            have("exp-x", "Stray"),
        ),
    )
    assert codes(plan) == ["G001", "G002", "G003", "W201", "W101"]
    assert [w.code for w in plan.guardrail_crossings()] == ["G001", "G002", "G003"]
