"""Packing into change sets: API limits, chains, waves, names and references to new entities."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from plan_builders import (
    ACCOUNT_A,
    have,
    layout,
    of_type,
    plan_for,
    product,
    products,
    sent,
    want,
)
from plan_builders import (
    created as created_id,
)

from pmp_reconcile.catalog.changes import details_size
from pmp_reconcile.model import Status
from pmp_reconcile.plan.pack import WAVE_PURPOSES
from pmp_reconcile.plan.values import Plan

MANY = tuple(f"3000000{n:05d}" for n in range(130))
CHANGE_SET_NAME = re.compile(r"^[\w\s+=.:@-]{1,100}$")


def _per_set_type_counts(plan: Plan) -> list[Counter[tuple[str, str | None]]]:
    return [
        Counter((c["ChangeType"], c["Entity"].get("Identifier")) for c in change_set.changes)
        for wave in plan.waves
        for chain in wave.chains
        for change_set in chain.change_sets
    ]


def test_more_than_fifty_products_make_a_chain() -> None:
    plan = plan_for(want("finance", allowed=products(0, 120)), have("exp-1", "Finance"))
    assert layout(plan) == [
        (1, "pmp-reconcile finance wave 1 part 1 of 3", ["AllowProductProcurement"]),
        (1, "pmp-reconcile finance wave 1 part 2 of 3", ["AllowProductProcurement"]),
        (1, "pmp-reconcile finance wave 1 part 3 of 3", ["AllowProductProcurement"]),
    ]
    chunks = [s.ids() for s in sent(plan)]
    assert chunks == [
        sorted(products(0, 50)),
        sorted(products(50, 100)),
        sorted(products(100, 120)),
    ]
    assert len(plan.waves[0].chains) == 1
    assert plan.summary.change_sets == 3


def test_exactly_fifty_products_fit_one_change() -> None:
    plan = plan_for(want("finance", allowed=products(0, 50)), have("exp-1", "Finance"))
    assert [len(s.ids()) for s in sent(plan)] == [50]
    assert layout(plan)[0][1] == "pmp-reconcile finance wave 1"


def test_more_than_fifty_principals_make_a_chain() -> None:
    plan = plan_for(
        want("finance", principals=MANY[:101]), have("exp-1", "Finance", principals=MANY[101:])
    )
    associated = [s.ids() for s in of_type(plan, "AssociateAudience")]
    disassociated = [s.ids() for s in of_type(plan, "DisassociateAudience")]
    assert [len(c) for c in associated] == [50, 50, 1]
    assert [len(c) for c in disassociated] == [29]
    assert sorted(p for c in associated for p in c) == sorted(MANY[:101])
    assert [n for _, n, _ in layout(plan)] == [
        "pmp-reconcile finance wave 1 part 1 of 3",
        "pmp-reconcile finance wave 1 part 2 of 3",
        "pmp-reconcile finance wave 1 part 3 of 3",
    ]


def test_a_big_mixed_diff_keeps_one_change_type_per_set() -> None:
    plan = plan_for(
        want(
            "finance",
            "Finance EU",
            id="exp-1",
            allowed=products(0, 120),
            denied=products(200, 260),
            principals=MANY[:70],
        ),
        have("exp-1", "Finance", status=Status.ENABLED, allowed=products(300, 310)),
    )
    assert layout(plan) == [
        (
            1,
            "pmp-reconcile finance wave 1 part 1 of 3",
            [
                "UpdateExperience",
                "AllowProductProcurement",
                "DenyProductProcurement",
                "AssociateAudience",
            ],
        ),
        (
            1,
            "pmp-reconcile finance wave 1 part 2 of 3",
            ["AllowProductProcurement", "DenyProductProcurement", "AssociateAudience"],
        ),
        (1, "pmp-reconcile finance wave 1 part 3 of 3", ["AllowProductProcurement"]),
    ]
    for counts in _per_set_type_counts(plan):
        assert max(counts.values()) == 1
    denied = [i for s in of_type(plan, "DenyProductProcurement") for i in s.ids()]
    assert sorted(denied) == sorted(products(200, 260) | products(300, 310))
    assert all(len(s.ids()) <= 50 for s in sent(plan))


def test_disabling_goes_first_and_enabling_last() -> None:
    disabled = plan_for(
        want("finance", allowed=products(0, 101)),
        have("exp-1", "Finance", status=Status.ENABLED),
    )
    enabled = plan_for(
        want("finance", status=Status.ENABLED, allowed=products(0, 101)),
        have("exp-1", "Finance"),
    )
    assert [types for _, _, types in layout(disabled)] == [
        ["UpdateExperience", "AllowProductProcurement"],
        ["AllowProductProcurement"],
        ["AllowProductProcurement"],
    ]
    assert [types for _, _, types in layout(enabled)] == [
        ["AllowProductProcurement"],
        ["AllowProductProcurement"],
        ["UpdateExperience", "AllowProductProcurement"],
    ]
    assert of_type(enabled, "UpdateExperience")[0].details == {"Status": "Enabled"}


def test_rename_goes_first_when_enabling_too_but_in_the_one_update() -> None:
    plan = plan_for(
        want("finance", "Finance EU", id="exp-1", status=Status.ENABLED, allowed=products(0, 60)),
        have("exp-1", "Finance"),
    )
    updates = of_type(plan, "UpdateExperience")
    assert len(updates) == 1
    assert updates[0].change_set == "pmp-reconcile finance wave 1 part 2 of 2"
    assert updates[0].details == {"Name": "Finance EU", "Status": "Enabled"}


def test_new_experience_chain_refers_to_the_created_id() -> None:
    plan = plan_for(
        want("finance", status=Status.ENABLED, allowed=products(0, 120), principals=[ACCOUNT_A]),
    )
    by_set: dict[str, list[tuple[str, str | None]]] = {}
    for s in sent(plan):
        by_set.setdefault(s.change_set, []).append((s.type, s.target))
    new, created = "$NewExperience.Entity.Identifier", created_id("finance")
    assert by_set == {
        "pmp-reconcile finance wave 1 part 1 of 3": [
            ("CreateExperience", None),
            ("CreateProcurementPolicy", new),
            ("AllowProductProcurement", new),
            ("AssociateAudience", new),
        ],
        "pmp-reconcile finance wave 1 part 2 of 3": [("AllowProductProcurement", created)],
        "pmp-reconcile finance wave 1 part 3 of 3": [
            ("UpdateExperience", created),
            ("AllowProductProcurement", created),
        ],
    }
    creating = of_type(plan, "CreateExperience")[0].change
    assert creating["ChangeName"] == "NewExperience"
    assert "Identifier" not in creating["Entity"]


def test_every_change_targets_the_experience_entity_type() -> None:
    plan = plan_for(
        [
            want("finance", allowed=[product(1)], archived=True),
            want("ops", status=Status.ENABLED),
        ],
        [have("exp-1", "Finance", status=Status.ENABLED), have("exp-2", "Ops", archived=True)],
    )
    assert {s.change["Entity"]["Type"] for s in sent(plan)} == {"Experience@1.0"}
    assert {s.type for s in sent(plan)} == {
        "ReviveExperience",
        "UpdateExperience",
        "AllowProductProcurement",
        "RestrictExperience",
    }


def test_waves_in_order_with_their_purposes_and_parallel_chains() -> None:
    plan = plan_for(
        [
            want("alpha", archived=True),
            want("beta", principals=[ACCOUNT_A]),
            want("gamma", status=Status.ENABLED),
        ],
        [
            have("exp-a", "Alpha", status=Status.ENABLED, principals=[ACCOUNT_A]),
            have("exp-b", "Beta"),
            have("exp-g", "Gamma", archived=True),
        ],
    )
    assert [(w.index, w.purpose) for w in plan.waves] == [
        (1, WAVE_PURPOSES[1]),
        (2, WAVE_PURPOSES[2]),
        (3, WAVE_PURPOSES[3]),
    ]
    assert [[c.experience for c in w.chains] for w in plan.waves] == [
        ["alpha", "gamma"],
        ["alpha", "beta", "gamma"],
        ["alpha"],
    ]
    assert layout(plan) == [
        (1, "pmp-reconcile alpha wave 1", ["DisassociateAudience"]),
        (1, "pmp-reconcile gamma wave 1", ["ReviveExperience"]),
        (2, "pmp-reconcile alpha wave 2", ["UpdateExperience"]),
        (2, "pmp-reconcile beta wave 2", ["AssociateAudience"]),
        (2, "pmp-reconcile gamma wave 2", ["UpdateExperience"]),
        (3, "pmp-reconcile alpha wave 3", ["RestrictExperience"]),
    ]
    assert plan.summary.waves == 3


def test_revive_runs_alone_before_other_wave_one_work() -> None:
    plan = plan_for(
        [want("alpha"), want("beta", principals=[ACCOUNT_A])],
        [have("exp-a", "Alpha", archived=True), have("exp-b", "Beta")],
    )
    assert layout(plan) == [
        (1, "pmp-reconcile alpha wave 1", ["ReviveExperience"]),
        (2, "pmp-reconcile beta wave 2", ["AssociateAudience"]),
    ]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("finance", "pmp-reconcile finance wave 1"),
        ("team(eu)", "pmp-reconcile team-eu- wave 1"),
        ("a" * 120, ("pmp-reconcile " + "a" * 120)[:100]),
    ],
)
def test_change_set_names_stay_within_the_api_pattern(key: str, expected: str) -> None:
    plan = plan_for(want(key, "Finance"), have("exp-1", "Finance", requests=None))
    names = [n for _, n, _ in layout(plan)]
    assert names == [expected]
    assert CHANGE_SET_NAME.match(names[0])


def test_child_entity_names_follow_the_api_rule() -> None:
    plan = plan_for(want("finance.eu+" + "x" * 60, "Finance"))
    policy = of_type(plan, "CreateProcurementPolicy")[0].details["Name"]
    assert re.fullmatch(r"[a-zA-Z0-9 _-]{1,50}", policy)
    assert policy.endswith("-policy")


def test_details_stay_under_the_size_limit_with_long_notes() -> None:
    ids = [f"{n:050d}" for n in range(60)]
    notes = {i: f"note {n:045d}" for n, i in enumerate(ids)}
    plan = plan_for(want("finance", allowed=ids, notes=notes))
    sizes = [details_size(s.change) for s in sent(plan)]
    assert max(sizes) <= 16_384
    allow = of_type(plan, "AllowProductProcurement")
    assert [len(a.ids()) for a in allow] == [50, 10]
    assert [len(a.details["Products"]) for a in allow] == [50, 10]
