"""Table-driven: one row per kind of difference between a file and a live experience.

Each row gives the desired and live experience and the exact changes the plan must send
(wave, target, change type, Details) and the actions a reviewer reads (kind, items, high impact).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from plan_builders import (
    ACCOUNT_A,
    ACCOUNT_B,
    ACCOUNT_C,
    ORG,
    OU,
    codes,
    created,
    experience,
    have,
    plan_for,
    product,
    products,
    sent,
    want,
)

from pmp_reconcile.model import Branding, Experience, RequestPolicy, Status
from pmp_reconcile.plan.values import ActionKind, ExperienceStatus

EXP = "exp-fin"
NEW = "$NewExperience.Entity.Identifier"
P0, P1, P2, P3 = (product(n) for n in range(4))

Sends = list[tuple[int, str | None, str, dict[str, Any]]]
Acts = list[tuple[ActionKind, tuple[str, ...], bool]]


@dataclass(frozen=True)
class Case:
    id: str
    wanted: Experience
    found: Experience | None
    sends: Sends
    acts: Acts
    warnings: list[str] = field(default_factory=list)

    def param(self) -> Any:
        return pytest.param(self, id=self.id)


def fin(**fields: Any) -> Experience:
    return want("finance", fields.pop("name", "Finance"), **fields)


def live_fin(**fields: Any) -> Experience:
    return have(EXP, fields.pop("name", "Finance"), **fields)


def update(details: dict[str, Any], wave: int = 2) -> tuple[int, str, str, dict[str, Any]]:
    return (wave, EXP, "UpdateExperience", details)


def prods(*ids: str, notes: str | None = None) -> dict[str, Any]:
    group: dict[str, Any] = {"Ids": list(ids)}
    if notes is not None:
        group["Notes"] = notes
    return {"Products": [group]}


CREATE_CASES = [
    Case(
        "new-minimal",
        fin(),
        None,
        [
            (2, None, "CreateExperience", {"Name": "Finance"}),
            (
                2,
                NEW,
                "CreateProcurementPolicy",
                {"Name": "finance-policy", "Configuration": {"PolicyResourceRequests": "Allow"}},
            ),
        ],
        [(ActionKind.CREATE, (), False), (ActionKind.CREATE_POLICY, (), False)],
    ),
    Case(
        "new-with-everything-enabled",
        fin(
            description="Finance tools",
            status=Status.ENABLED,
            requests=RequestPolicy.DENY,
            principals=[OU, ACCOUNT_A],
            allowed=[P1, P0],
            denied=[P3],
            branding=Branding(title="Finance", theme_color="#112233"),
        ),
        None,
        [
            (2, None, "CreateExperience", {"Name": "Finance", "Description": "Finance tools"}),
            (2, NEW, "UpdateExperience", {"Status": "Enabled"}),
            (
                2,
                NEW,
                "CreateProcurementPolicy",
                {"Name": "finance-policy", "Configuration": {"PolicyResourceRequests": "Deny"}},
            ),
            (
                2,
                NEW,
                "CreateBrandingSettings",
                {
                    "Name": "finance-branding",
                    "Configuration": {"Title": "Finance", "ThemeColor": "#112233"},
                },
            ),
            (2, NEW, "AllowProductProcurement", prods(P0, P1)),
            (2, NEW, "DenyProductProcurement", prods(P3)),
            (2, NEW, "AssociateAudience", {"Principals": [ACCOUNT_A, OU]}),
        ],
        [
            (ActionKind.CREATE, (), False),
            (ActionKind.ENABLE, (ACCOUNT_A, OU), True),
            (ActionKind.CREATE_POLICY, (), False),
            (ActionKind.ADD_PRINCIPALS, (ACCOUNT_A, OU), False),
            (ActionKind.ALLOW_PRODUCTS, (P0, P1), False),
            (ActionKind.DENY_PRODUCTS, (P3,), False),
            (ActionKind.CREATE_BRANDING, ("title: Finance", "theme_color: #112233"), False),
        ],
    ),
    Case(
        "new-for-the-organization",
        fin(principals=[ORG]),
        None,
        [
            (2, None, "CreateExperience", {"Name": "Finance"}),
            (
                2,
                NEW,
                "CreateProcurementPolicy",
                {"Name": "finance-policy", "Configuration": {"PolicyResourceRequests": "Allow"}},
            ),
            (2, NEW, "AssociateAudience", {"Principals": [ORG]}),
        ],
        [
            (ActionKind.CREATE, (), False),
            (ActionKind.CREATE_POLICY, (), False),
            (ActionKind.ADD_PRINCIPALS, (ORG,), True),
        ],
    ),
    Case(
        "new-archived",
        fin(archived=True),
        None,
        [
            (2, None, "CreateExperience", {"Name": "Finance"}),
            (
                2,
                NEW,
                "CreateProcurementPolicy",
                {"Name": "finance-policy", "Configuration": {"PolicyResourceRequests": "Allow"}},
            ),
            (3, created("finance"), "RestrictExperience", {}),
        ],
        [
            (ActionKind.CREATE, (), False),
            (ActionKind.ARCHIVE, (), True),
            (ActionKind.CREATE_POLICY, (), False),
        ],
    ),
]

SETTINGS_CASES = [
    Case(
        "rename-pinned",
        fin(id=EXP, name="Finance EU"),
        live_fin(),
        [update({"Name": "Finance EU"})],
        [(ActionKind.RENAME, (), False)],
    ),
    Case(
        "description",
        fin(description="new text"),
        live_fin(description="old text"),
        [update({"Description": "new text"})],
        [(ActionKind.DESCRIBE, (), False)],
    ),
    Case(
        "description-left-out-keeps-live",
        fin(),
        live_fin(description="old text"),
        [],
        [],
    ),
    Case(
        "enable",
        fin(status=Status.ENABLED, principals=[ACCOUNT_A]),
        live_fin(principals=[ACCOUNT_A]),
        [update({"Status": "Enabled"})],
        [(ActionKind.ENABLE, (ACCOUNT_A,), True)],
    ),
    Case(
        "disable",
        fin(principals=[ACCOUNT_A, ACCOUNT_B]),
        live_fin(status=Status.ENABLED, principals=[ACCOUNT_A, ACCOUNT_B]),
        [update({"Status": "Disabled"})],
        [(ActionKind.DISABLE, (ACCOUNT_A, ACCOUNT_B), True)],
    ),
    Case(
        "rename-describe-enable-in-one-update",
        fin(id=EXP, name="Finance EU", description="new", status=Status.ENABLED),
        live_fin(description="old"),
        [update({"Name": "Finance EU", "Description": "new", "Status": "Enabled"})],
        [
            (ActionKind.ENABLE, (), True),
            (ActionKind.RENAME, (), False),
            (ActionKind.DESCRIBE, (), False),
        ],
    ),
    Case(
        "requests-allow-to-deny",
        fin(requests=RequestPolicy.DENY),
        live_fin(requests=RequestPolicy.ALLOW),
        [
            (
                2,
                EXP,
                "UpdateProcurementPolicy",
                {"Configuration": {"PolicyResourceRequests": "Deny"}},
            )
        ],
        [(ActionKind.SET_REQUESTS, (), False)],
    ),
    Case(
        "requests-deny-to-allow",
        fin(requests=RequestPolicy.ALLOW),
        live_fin(requests=RequestPolicy.DENY),
        [
            (
                2,
                EXP,
                "UpdateProcurementPolicy",
                {"Configuration": {"PolicyResourceRequests": "Allow"}},
            )
        ],
        [(ActionKind.SET_REQUESTS, (), False)],
    ),
    Case(
        "no-policy-live-creates-one",
        fin(requests=RequestPolicy.DENY),
        live_fin(requests=None),
        [
            (
                2,
                EXP,
                "CreateProcurementPolicy",
                {"Name": "finance-policy", "Configuration": {"PolicyResourceRequests": "Deny"}},
            )
        ],
        [(ActionKind.CREATE_POLICY, (), True)],
        ["W102"],
    ),
]

AUDIENCE_CASES = [
    Case(
        "principals-add",
        fin(principals=[ACCOUNT_A, ACCOUNT_B, OU]),
        live_fin(principals=[ACCOUNT_A]),
        [(2, EXP, "AssociateAudience", {"Principals": [ACCOUNT_B, OU]})],
        [(ActionKind.ADD_PRINCIPALS, (ACCOUNT_B, OU), False)],
    ),
    Case(
        "principals-add-organization",
        fin(principals=[ORG]),
        live_fin(),
        [(2, EXP, "AssociateAudience", {"Principals": [ORG]})],
        [(ActionKind.ADD_PRINCIPALS, (ORG,), True)],
    ),
    Case(
        "principals-remove",
        fin(principals=[ACCOUNT_A]),
        live_fin(principals=[ACCOUNT_A, ACCOUNT_C, OU]),
        [(2, EXP, "DisassociateAudience", {"Principals": [ACCOUNT_C, OU]})],
        [(ActionKind.REMOVE_PRINCIPALS, (ACCOUNT_C, OU), True)],
    ),
    Case(
        "principals-add-and-remove",
        fin(principals=[ACCOUNT_B]),
        live_fin(principals=[ACCOUNT_A]),
        [
            (2, EXP, "DisassociateAudience", {"Principals": [ACCOUNT_A]}),
            (2, EXP, "AssociateAudience", {"Principals": [ACCOUNT_B]}),
        ],
        [
            (ActionKind.REMOVE_PRINCIPALS, (ACCOUNT_A,), True),
            (ActionKind.ADD_PRINCIPALS, (ACCOUNT_B,), False),
        ],
    ),
]

PRODUCT_CASES = [
    Case(
        "products-allow",
        fin(allowed=[P0, P1, P2]),
        live_fin(allowed=[P0]),
        [(2, EXP, "AllowProductProcurement", prods(P1, P2))],
        [(ActionKind.ALLOW_PRODUCTS, (P1, P2), False)],
    ),
    Case(
        "products-no-longer-allowed-are-denied",
        fin(allowed=[P0]),
        live_fin(allowed=[P0, P1, P2]),
        [(2, EXP, "DenyProductProcurement", prods(P1, P2))],
        [(ActionKind.DENY_PRODUCTS, (P1, P2), True)],
    ),
    Case(
        "products-explicit-deny",
        fin(denied=[P3]),
        live_fin(),
        [(2, EXP, "DenyProductProcurement", prods(P3))],
        [(ActionKind.DENY_PRODUCTS, (P3,), False)],
    ),
    Case(
        "products-removal-and-explicit-deny-share-one-change",
        fin(denied=[P3]),
        live_fin(allowed=[P0]),
        [(2, EXP, "DenyProductProcurement", prods(P0, P3))],
        [(ActionKind.DENY_PRODUCTS, (P0,), True), (ActionKind.DENY_PRODUCTS, (P3,), False)],
    ),
    Case(
        "products-un-deny",
        fin(allowed=[P0, P1]),
        live_fin(allowed=[P0], denied=[P1]),
        [(2, EXP, "AllowProductProcurement", prods(P1))],
        [(ActionKind.ALLOW_PRODUCTS, (P1,), False)],
    ),
    Case(
        "products-already-denied",
        fin(denied=[P1]),
        live_fin(denied=[P1, P2]),
        [],
        [],
    ),
    Case(
        "products-notes-group-ids",
        fin(allowed=[P0, P1, P2], notes={P1: "SR-1", P2: "SR-1"}),
        live_fin(),
        [
            (
                2,
                EXP,
                "AllowProductProcurement",
                {"Products": [{"Ids": [P0]}, {"Ids": [P1, P2], "Notes": "SR-1"}]},
            )
        ],
        [(ActionKind.ALLOW_PRODUCTS, (P0, P1, P2), False)],
    ),
]

BRANDING_CASES = [
    Case(
        "branding-create",
        fin(branding=Branding(title="Finance", logo_url="https://example.org/l.png")),
        live_fin(),
        [
            (
                2,
                EXP,
                "CreateBrandingSettings",
                {
                    "Name": "finance-branding",
                    "Configuration": {"Title": "Finance", "LogoUrl": "https://example.org/l.png"},
                },
            )
        ],
        [
            (
                ActionKind.CREATE_BRANDING,
                ("title: Finance", "logo_url: https://example.org/l.png"),
                False,
            )
        ],
    ),
    Case(
        "branding-update-keeps-unmanaged-fields",
        fin(branding=Branding(title="New")),
        live_fin(branding=Branding(title="Old", theme_color="#000000")),
        [
            (
                2,
                EXP,
                "UpdateBrandingSettings",
                {"Configuration": {"Title": "New", "ThemeColor": "#000000"}},
            )
        ],
        [(ActionKind.UPDATE_BRANDING, ("title: New",), False)],
    ),
    Case(
        "branding-managed-fields-equal",
        fin(branding=Branding(title="Same")),
        live_fin(branding=Branding(title="Same", information="live only")),
        [],
        [],
    ),
    Case(
        "branding-left-out",
        fin(),
        live_fin(branding=Branding(title="Live")),
        [],
        [],
    ),
]

LIFECYCLE_CASES = [
    Case(
        "archive-enabled-disables-first",
        fin(archived=True, principals=[ACCOUNT_A]),
        live_fin(status=Status.ENABLED, principals=[ACCOUNT_A]),
        [update({"Status": "Disabled"}), (3, EXP, "RestrictExperience", {})],
        [(ActionKind.DISABLE, (ACCOUNT_A,), True), (ActionKind.ARCHIVE, (), True)],
    ),
    Case(
        "archive-disabled",
        fin(archived=True),
        live_fin(),
        [(3, EXP, "RestrictExperience", {})],
        [(ActionKind.ARCHIVE, (), True)],
    ),
    Case(
        "revive",
        fin(),
        live_fin(archived=True),
        [(1, EXP, "ReviveExperience", {})],
        [(ActionKind.REVIVE, (), False)],
    ),
    Case(
        "revive-and-enable",
        fin(status=Status.ENABLED, allowed=[P0]),
        live_fin(archived=True),
        [
            (1, EXP, "ReviveExperience", {}),
            update({"Status": "Enabled"}),
            (2, EXP, "AllowProductProcurement", prods(P0)),
        ],
        [
            (ActionKind.REVIVE, (), False),
            (ActionKind.ENABLE, (), True),
            (ActionKind.ALLOW_PRODUCTS, (P0,), False),
        ],
    ),
    Case(
        "archived-both-with-differences-is-frozen",
        fin(archived=True, allowed=[P0], description="changed"),
        live_fin(archived=True),
        [],
        [],
        ["W103"],
    ),
    Case(
        "archived-both-same",
        fin(archived=True),
        live_fin(archived=True),
        [],
        [],
    ),
]

ALL_CASES = (
    CREATE_CASES
    + SETTINGS_CASES
    + AUDIENCE_CASES
    + PRODUCT_CASES
    + BRANDING_CASES
    + LIFECYCLE_CASES
)


@pytest.mark.parametrize("case", [c.param() for c in ALL_CASES])
def test_changes_sent(case: Case) -> None:
    plan = plan_for(case.wanted, [case.found] if case.found else [])
    got = [(s.wave, s.target, s.type, s.details) for s in sent(plan)]
    assert got == case.sends


@pytest.mark.parametrize("case", [c.param() for c in ALL_CASES])
def test_actions_explained(case: Case) -> None:
    plan = plan_for(case.wanted, [case.found] if case.found else [])
    got = [(a.kind, a.items, a.high_impact) for a in experience(plan, "finance").actions]
    assert got == case.acts
    assert all(a.reason for a in experience(plan, "finance").actions)


@pytest.mark.parametrize("case", [c.param() for c in ALL_CASES])
def test_warnings_and_status(case: Case) -> None:
    plan = plan_for(case.wanted, [case.found] if case.found else [])
    assert codes(plan) == case.warnings
    entry = experience(plan, "finance")
    if case.found is None:
        expected = ExperienceStatus.CREATE
    else:
        expected = ExperienceStatus.UPDATE if case.acts else ExperienceStatus.UNCHANGED
    assert entry.status is expected
    assert entry.id == (EXP if case.found else None)
    assert plan.has_changes is bool(case.sends)


def test_before_and_after_values() -> None:
    plan = plan_for(
        fin(id=EXP, name="Finance EU", description="new", requests=RequestPolicy.DENY),
        live_fin(description="old", status=Status.ENABLED),
    )
    shown = {a.kind: (a.before, a.after) for a in experience(plan, "finance").actions}
    assert shown == {
        ActionKind.DISABLE: ("enabled", "disabled"),
        ActionKind.RENAME: ("Finance", "Finance EU"),
        ActionKind.DESCRIBE: ("old", "new"),
        ActionKind.SET_REQUESTS: ("allow", "deny"),
    }


def test_removal_reasons_tell_losses_from_denials() -> None:
    plan = plan_for(fin(denied=[P3]), live_fin(allowed=[P0]))
    reasons = [a.reason for a in experience(plan, "finance").actions]
    assert reasons == [
        "allowed live, not listed in products.allow: users lose it",
        "listed in products.deny",
    ]


def test_summary_counts_items() -> None:
    plan = plan_for(
        fin(principals=[ACCOUNT_B], allowed=[P0, P1], denied=[P3]),
        live_fin(principals=[ACCOUNT_A, ACCOUNT_C], allowed=[P2]),
    )
    summary = plan.summary
    assert (summary.create, summary.update, summary.unchanged) == (0, 1, 0)
    assert (summary.products_allowed, summary.products_denied) == (2, 2)
    assert (summary.principals_added, summary.principals_removed) == (1, 2)
    assert (summary.change_sets, summary.waves) == (1, 1)


def test_large_product_lists_use_chunks_of_fifty() -> None:
    plan = plan_for(fin(allowed=products(0, 101)), live_fin())
    allowed = [s.ids() for s in sent(plan)]
    assert [len(ids) for ids in allowed] == [50, 50, 1]
    assert sorted(i for ids in allowed for i in ids) == sorted(products(0, 101))


def test_disable_names_the_live_principals_it_stops_governing() -> None:
    plan = plan_for(
        fin(principals=[ACCOUNT_B]),
        live_fin(status=Status.ENABLED, principals=[ACCOUNT_A, OU]),
    )
    disable = experience(plan, "finance").actions[0]
    assert disable.kind is ActionKind.DISABLE
    assert disable.items == (ACCOUNT_A, OU)
    assert disable.reason == "stops governing 2 principal(s)"


def test_only_notes_edited_on_a_decision_already_made_are_unsent() -> None:
    from pmp_reconcile.plan.diff import unsent_notes

    a, b, c, d, e = (f"prod-{x}{x}{x}{x}{x}{x}{x}{x}{x}{x}{x}{x}{x}" for x in "abcde")
    live = Experience(
        name="X", allowed=frozenset({a, b, c}), denied=frozenset({d, e}),
        notes={a: "old", c: "same", d: "old"},
    )  # fmt: skip
    desired = Experience(
        name="X", allowed=frozenset({a, b, c, e}), denied=frozenset({d}),
        notes={b: "new", a: "new", c: "same", d: "new", e: "moves"},
    )  # fmt: skip
    # a and d keep their decision with another note, b gains one; c is unchanged and e moves
    # from deny to allow (its note travels with that change)
    assert unsent_notes(desired, live) == (a, b, d)
