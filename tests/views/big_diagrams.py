"""Every kind of diagram the tool draws, from organizations small and large, for rendering."""

from __future__ import annotations

from dataclasses import replace

from pmp_reconcile.model import Status
from pmp_reconcile.org.governance import Explanation, govern, principal_index
from pmp_reconcile.org.impact import OrgImpact, before_and_after, org_impact
from pmp_reconcile.views.explain import explanation_chart
from pmp_reconcile.views.governance_map import map_chart
from pmp_reconcile.views.impact_diagram import impact_chart

from big_org import (
    ORG,
    P1,
    P2,
    P3,
    ROOT,
    account_id,
    big_tree,
    desired,
    large_map,
    live,
    ou_id,
    state,
)


def every_style_impact() -> OrgImpact:
    """Falls back to nothing, gains, gains and loses, newly governed, and names with ``&``."""
    tree = big_tree(5, 3)
    before = state(
        live("exp-base", "Base", [ou_id(1), ou_id(2), ou_id(0)], [P1]),
        live("exp-mkt", "Marketing", [ou_id(3)], [P2]),
    )
    after = state(
        desired("base", [ou_id(1), ou_id(2)], [P1, P2]),
        desired("engineering", [ou_id(0)], [P3]),
        desired("r-and-d", [ou_id(4)], [P3]),
        archive=True,
    )
    return org_impact(*before_and_after(after, before), tree)


def large_impact() -> OrgImpact:
    """500 accounts in 100 OUs, each OU moving to its own experience: the capped drawing."""
    tree = big_tree(100, 5)
    before = state(live("exp-base", "Base", [ORG], [P1]))
    after = state(
        desired("base", [ORG], [P1]),
        *(desired(f"team{i}", [ou_id(i)], [P3]) for i in range(100)),
    )
    return org_impact(*before_and_after(after, before), tree)


def skipped_level() -> Explanation:
    """An account under a disabled experience's OU, governed from the organization."""
    base = desired("base", [ORG], [P1])
    disabled = replace(desired("old", [ou_id(0)], [P2]), status=Status.DISABLED)
    index = principal_index(state(base, disabled))
    account = account_id(0, 0)
    steps = (account, ou_id(0), ROOT, ORG)
    return Explanation(account, govern(steps, index))


def all_diagrams() -> dict[str, str]:
    aliases = {P1: "splunk & co", P2: 'say "two"'}
    charts = {
        "impact, every style": impact_chart(every_style_impact(), aliases),
        "impact, 500 accounts capped": impact_chart(large_impact(), aliases),
        "map, 500 accounts capped": map_chart(large_map()),
        "explain, a skipped level": explanation_chart(skipped_level()),
    }
    return {name: chart for name, chart in charts.items() if chart is not None}
