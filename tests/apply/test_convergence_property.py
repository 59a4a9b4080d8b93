"""The planner's promise, as a property: apply the plan and nothing is left, nothing was idle.

For random pairs of marketplaces (one made live through the sandbox, one desired), every
planned change changes something that differs live, the sandbox accepts every change set,
and planning again after the apply finds no changes.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmp_reconcile.model import Experience, MarketplaceState, RequestPolicy, Status
from pmp_reconcile.plan.values import Plan

from rig import Rig

PRINCIPALS = [f"{n:012d}" for n in range(100000000001, 100000000007)] + ["ou-ab12-cdefgh12"]
PRODUCTS = [f"prod-{n:013d}" for n in range(70)]
NAMES = ["Alpha", "Beta", "Gamma"]


@st.composite
def marketplaces(draw: st.DrawFn) -> MarketplaceState:
    """Up to three experiences; no principal in two of them (the tree forbids it)."""
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3))
    free = list(PRINCIPALS)
    experiences = []
    for name in names:
        principals = draw(st.lists(st.sampled_from(free), unique=True, max_size=3)) if free else []
        free = [p for p in free if p not in principals]
        allowed = draw(st.sets(st.sampled_from(PRODUCTS), max_size=60))
        denied = draw(st.sets(st.sampled_from(PRODUCTS), max_size=5)) - allowed
        archived = draw(st.booleans()) and draw(st.booleans())
        experiences.append(
            Experience(
                key=name.lower(),
                name=name,
                description=draw(st.sampled_from([None, "first", "second"])),
                status=Status.DISABLED if archived else draw(st.sampled_from(Status)),
                archived=archived,
                software_requests=draw(st.sampled_from(RequestPolicy)),
                principals=frozenset(principals),
                allowed=frozenset(allowed),
                denied=frozenset(denied),
            )
        )
    return MarketplaceState(experiences=tuple(experiences))


def redundant_changes(plan: Plan, live: MarketplaceState) -> list[str]:
    """Changes to existing experiences that would leave them as they are."""
    by_id = {e.live.experience.id: e for e in live.experiences if e.live is not None}
    idle = []
    for wave in plan.waves:
        for chain in wave.chains:
            for change_set in chain.change_sets:
                for change in change_set.changes:
                    target = by_id.get(change["Entity"].get("Identifier", "").split("@")[0])
                    if target is not None and not _changes_something(change, target):
                        idle.append(f"{change['ChangeType']} on {target.name}")
    return idle


def _changes_something(change: dict[str, Any], live: Experience) -> bool:
    details = change.get("DetailsDocument", {})
    kind = change["ChangeType"]
    ids = {i for group in details.get("Products", []) for i in group["Ids"]}
    principals = set(details.get("Principals", []))
    if kind == "AllowProductProcurement":
        return not ids <= live.allowed
    if kind == "DenyProductProcurement":
        return not ids <= live.denied
    if kind == "AssociateAudience":
        return not principals <= live.principals
    if kind == "DisassociateAudience":
        return bool(principals & live.principals)
    if kind == "UpdateExperience":
        wanted = {
            "Name": live.name,
            "Description": live.description,
            "Status": live.status.value.title(),
        }
        return any(details[k] != wanted[k] for k in details)
    if kind == "UpdateProcurementPolicy":
        requests = details["Configuration"]["PolicyResourceRequests"]
        return requests.lower() != (live.software_requests or "")
    return True


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(before=marketplaces(), after=marketplaces())
def test_applying_a_plan_converges_and_every_change_does_something(
    before: MarketplaceState, after: MarketplaceState
) -> None:
    rig = Rig()
    _, made = rig.apply(before)
    assert made.ok, [r.failure_description for r in made.failed]
    live = rig.live()
    plan = rig.plan(after)
    assert redundant_changes(plan, live) == []
    result = rig.executor().run(plan)
    assert result.ok, [(r.name, r.failure_description, r.errors) for r in result.failed]
    again = rig.plan(after)
    leftover = [(e.name, a.kind.value, a.items) for e in again.experiences for a in e.actions]
    assert leftover == []
