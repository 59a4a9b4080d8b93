"""Import round trips: seed a live marketplace, import it, load the tree, plan: nothing to do.

Everything is real but the clock: the sandbox in-process, boto3, the live reader, the writer,
the loader with every validation rule, and the planner.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmp_reconcile.desired.imported import ImportResult
from pmp_reconcile.desired.loader import load_desired_state
from pmp_reconcile.model import Branding, MarketplaceState
from pmp_reconcile.plan.make import make_plan
from pmp_reconcile.plan.values import ActionKind, ExperienceStatus, Plan
from pmp_reconcile.workflows import Target
from pmp_reconcile.workflows.importing import ImportRequest, import_marketplace

from rig import Rig

SPLUNK = "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69"
DATADOG = "prod-abcdefghij123"
TABLEAU = "prodview-tableau0001"
QUICKBOOKS = "9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def _import(rig: Rig, out: Path, **request: Any) -> ImportResult:
    target = Target(api_for=lambda caller: rig.api)
    return import_marketplace(ImportRequest(out=out, **request), target)


def _plan_after_import(rig: Rig, out: Path, **request: Any) -> tuple[Plan, ImportResult]:
    result = _import(rig, out, **request)
    desired, live = load_desired_state(out), rig.live()
    _assert_same_values(desired, live)
    return make_plan(desired, live), result


def _assert_same_values(desired: MarketplaceState, live: MarketplaceState) -> None:
    """What the planner does not compare (notes) must survive the trip too."""
    live_by_id = live.by_id()
    for experience in desired.experiences:
        assert experience.id is not None
        was = live_by_id[experience.id]
        assert (experience.name, experience.description) == (was.name, was.description)
        assert (experience.principals, experience.allowed) == (was.principals, was.allowed)
        assert (experience.denied, dict(experience.notes)) == (was.denied, dict(was.notes))
        assert experience.archived == was.archived
        assert experience.branding == (was.branding if was.branding != Branding() else None)
        if was.has_procurement_policy:
            assert experience.software_requests == was.software_requests


def _actions(plan: Plan) -> dict[str, list[ActionKind]]:
    return {e.name: [a.kind for a in e.actions] for e in plan.experiences if e.actions}


def _assert_clean(plan: Plan, expected_names: set[str]) -> None:
    assert _actions(plan) == {}
    assert plan.waves == ()
    assert not plan.has_changes
    managed = {e.name for e in plan.experiences if e.status is ExperienceStatus.UNCHANGED}
    assert managed == expected_names


CASES: dict[str, list[dict[str, Any]]] = {
    "several audiences, denied products, notes, branding": [
        {
            "name": "Finance Unit Experience",
            "description": "Approved software: finance # and more",
            "status": "Enabled",
            "procurement_policy": {
                "requests": "Deny",
                "allow": [SPLUNK, DATADOG, TABLEAU],
                "deny": [QUICKBOOKS],
                "notes": {DATADOG: "SR-1042 security review", QUICKBOOKS: "no: cost"},
            },
            "branding": {
                "title": "Finance Marketplace",
                "information": "Ask #finance-it first",
                "theme_color": "#0a66c2",
                "logo_url": "https://example.com/logo.png",
            },
            "audiences": [
                {"principals": ["012345678901", "ou-ab12-cdefgh12"]},
                {"principals": ["222222222222"]},
                {"principals": ["o-abcdef1234"]},
            ],
        }
    ],
    "disabled, archived, partial branding": [
        {"name": "Sales", "procurement_policy": {"allow": [SPLUNK]}},
        {
            "name": "Old Finance",
            "archived": True,
            "procurement_policy": {"requests": "Deny", "deny": [SPLUNK]},
            "audiences": [{"principals": ["333333333333"]}],
        },
        {
            "name": "Branded",
            "status": "Enabled",
            "procurement_policy": {},
            "branding": {"title": "Only a title"},
        },
    ],
    "names that clash when slugified": [
        {"name": "Data Science", "procurement_policy": {}},
        {"name": "data science", "procurement_policy": {}},
        {"name": "Data_Science", "procurement_policy": {}},
        {"name": "data-science", "procurement_policy": {}},
        {"name": "123", "procurement_policy": {"allow": [DATADOG]}},
        {"name": "true", "procurement_policy": {}},
        {"name": " - _", "procurement_policy": {}},
        {"name": "0x_", "procurement_policy": {}},
        {"name": "0b_", "procurement_policy": {}},
        {"name": "2024-13-45", "procurement_policy": {}},
        {"name": "x" * 50, "procurement_policy": {}},
        {"name": "x" * 49 + "Y", "procurement_policy": {}},
    ],
}


@pytest.mark.parametrize("seed", list(CASES.values()), ids=list(CASES))
def test_import_then_plan_finds_nothing_to_change(tmp_path: Path, seed: list[Any]) -> None:
    rig = Rig()
    rig.marketplace.seed({"experiences": seed})
    plan, result = _plan_after_import(rig, tmp_path / "tree")
    _assert_clean(plan, {e["name"] for e in seed})
    assert result.notes == ()
    assert len({w.path for w in result.experiences}) == len(seed)


def test_an_experience_without_a_procurement_policy_plans_exactly_its_creation(
    tmp_path: Path,
) -> None:
    rig = Rig()
    seed = [
        {"name": "Legacy", "status": "Enabled", "audiences": [{"principals": ["111111111111"]}]},
        {"name": "Legacy Archived", "archived": True},
        {"name": "Kept", "procurement_policy": {"allow": [SPLUNK]}},
    ]
    rig.marketplace.seed({"experiences": seed})
    plan, result = _plan_after_import(rig, tmp_path / "tree")
    assert _actions(plan) == {"Legacy": [ActionKind.CREATE_POLICY]}
    # W103 (info): the archived one would get a policy if it were revived
    assert sorted(w.code for w in plan.warnings) == ["W102", "W102", "W103"]
    legacy = (tmp_path / "tree" / "experiences" / "legacy.yaml").read_text()
    assert "has no procurement policy" in legacy
    assert "software_requests: allow" in legacy
    assert len(result.notes) == 2
    assert "'Legacy' (" in result.notes[0]
    assert "create_procurement_policy" in result.notes[0]
    assert "archived, so plan changes nothing" in result.notes[1]


def test_only_imports_the_named_experiences_by_name_or_id(tmp_path: Path) -> None:
    rig = Rig()
    seed: list[dict[str, Any]] = [
        {"name": n, "procurement_policy": {}} for n in ("Alpha", "Beta", "Gamma")
    ]
    rig.marketplace.seed({"experiences": seed})
    gamma = next(e.id for e in rig.live().experiences if e.name == "Gamma")
    assert gamma is not None
    plan, result = _plan_after_import(rig, tmp_path / "tree", only=("Alpha", gamma))
    names = sorted(p.name for p in (tmp_path / "tree" / "experiences").iterdir())
    assert names == ["alpha.yaml", "gamma.yaml"]
    assert _actions(plan) == {}
    assert [e.name for e in plan.experiences if e.status is ExperienceStatus.UNMANAGED] == ["Beta"]
    assert result.notes == (
        "1 live experience(s) not imported and in no file of the tree: plan lists them as "
        "unmanaged",
    )


def test_aliases_of_an_existing_products_file_are_used(tmp_path: Path) -> None:
    rig = Rig()
    policy = {"allow": [SPLUNK, DATADOG], "deny": [QUICKBOOKS], "notes": {DATADOG: "reviewed"}}
    rig.marketplace.seed({"experiences": [{"name": "Finance", "procurement_policy": policy}]})
    tree = tmp_path / "tree"
    tree.mkdir()
    aliases = f"products:\n  splunk: {SPLUNK}\n  datadog: {DATADOG}\n"
    (tree / "products.yaml").write_text(aliases, encoding="utf-8")
    plan, _ = _plan_after_import(rig, tree)
    text = (tree / "experiences" / "finance.yaml").read_text()
    assert "    - id: datadog\n      notes: reviewed\n    - splunk\n" in text
    assert f"  deny:\n    - {QUICKBOOKS}\n" in text
    _assert_clean(plan, {"Finance"})


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    names=st.lists(
        st.text(alphabet="aAbB zZ_-09", min_size=1, max_size=50).filter(lambda n: n.strip()),
        min_size=1,
        max_size=5,
        unique=True,
    ),
    requests=st.sampled_from(["Allow", "Deny"]),
    products=st.lists(st.sampled_from([SPLUNK, DATADOG, TABLEAU]), unique=True),
    note=st.text(alphabet="ab: #'\"\\é", min_size=1, max_size=50),
)
def test_any_named_marketplace_round_trips(
    tmp_path_factory: pytest.TempPathFactory,
    names: list[str],
    requests: str,
    products: list[str],
    note: str,
) -> None:
    rig = Rig()
    notes = dict.fromkeys(products, note)
    policy = {"requests": requests, "allow": products, "notes": notes}
    seed = [{"name": n, "procurement_policy": policy} for n in names]
    rig.marketplace.seed({"experiences": seed})
    plan, _ = _plan_after_import(rig, tmp_path_factory.mktemp("tree"))
    _assert_clean(plan, set(names))


def test_an_existing_settings_file_is_kept_and_a_different_caller_noted(tmp_path: Path) -> None:
    rig = Rig()
    rig.marketplace.seed({"experiences": [{"name": "Alpha", "procurement_policy": {}}]})
    tree = tmp_path / "tree"
    tree.mkdir()
    settings = "caller: delegated-admin\nunmanaged_experiences: ignore\n"
    (tree / "pmp.yaml").write_text(settings, encoding="utf-8")
    result = _import(rig, tree)
    assert (tree / "pmp.yaml").read_text() == settings
    assert result.settings_written is None
    assert result.settings_kept == tree / "pmp.yaml"
    assert result.notes == (
        f"read as management, but {tree / 'pmp.yaml'} says caller: delegated-admin; "
        "plan reads as delegated-admin",
    )
