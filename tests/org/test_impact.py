"""plan --org-impact, pure part: who changes governing experience or allowed products."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import MappingProxyType

from pmp_reconcile.model import (
    Experience,
    LiveEntity,
    LiveRefs,
    MarketplaceState,
    Settings,
    Status,
    UnmanagedPolicy,
)
from pmp_reconcile.org.impact import before_and_after, org_impact
from pmp_reconcile.org.tree import OrgTree
from pmp_reconcile.views.impact import render_impact_markdown, render_impact_text

OU_A, OU_B = "ou-ab12-aaaaaaaa", "ou-ab12-bbbbbbbb"
A1, A2, B1, TOP = "111111111111", "222222222222", "333333333333", "444444444444"
TREE = OrgTree(
    "o-abcdefghij",
    "r-ab12",
    MappingProxyType({OU_A: "r-ab12", A1: OU_A, A2: OU_A, OU_B: OU_A, B1: OU_B, TOP: "r-ab12"}),
)
P1, P2, P3 = "prod-one1one1one1o", "prod-two2two2two2t", "prod-three3three3t"


def live_experience(id_: str, name: str, **fields: object) -> Experience:
    refs = LiveRefs(experience=LiveEntity(id=id_, revision="1"))
    return Experience(id=id_, name=name, status=Status.ENABLED, live=refs, **fields)  # type: ignore[arg-type]


LIVE = MarketplaceState(
    experiences=(
        live_experience("exp-1", "Finance", principals=frozenset({OU_A}), allowed=frozenset({P1})),
        live_experience("exp-2", "Legacy", principals=frozenset({TOP}), software_requests=None),
    )
)
DESIRED = MarketplaceState(
    experiences=(
        Experience(
            key="finance",
            name="Finance",
            status=Status.ENABLED,
            principals=frozenset({OU_A}),
            allowed=frozenset({P1, P2}),
        ),
        Experience(
            key="research",
            name="Research",
            status=Status.ENABLED,
            principals=frozenset({OU_B}),
            allowed=frozenset({P3}),
        ),
    ),
    settings=Settings(unmanaged_experiences=UnmanagedPolicy.ARCHIVE),
    aliases=MappingProxyType({"two": P2}),
)


def test_impact_per_node() -> None:
    impact = org_impact(*before_and_after(DESIRED, LIVE), TREE)
    rows = {n.id: (n.before, n.after, n.gained, n.lost) for n in impact.nodes}
    assert rows == {
        OU_A: ("finance", "finance", (P2,), ()),
        A1: ("finance", "finance", (P2,), ()),
        A2: ("finance", "finance", (P2,), ()),
        OU_B: ("finance", "research", (P3,), (P1,)),
        B1: ("finance", "research", (P3,), (P1,)),
        TOP: ("exp-2", None, (), ()),  # archived: the public marketplace, still everything
    }
    document = impact.to_document()
    assert (document["accounts"], document["ous"]) == (4, 2)
    assert document["experiences"]["research"] == [B1, OU_B]
    assert document["experiences"]["exp-2"] == [TOP]


def test_unmanaged_ignored_keeps_governing_and_unchanged_nodes_are_left_out() -> None:
    desired = replace(DESIRED, settings=Settings())
    impact = org_impact(*before_and_after(desired, LIVE), TREE)
    assert TOP not in {n.id for n in impact.nodes}


def test_no_policy_to_policy_is_a_restriction() -> None:
    live = MarketplaceState(
        experiences=(
            live_experience("exp-9", "Open", principals=frozenset({TOP}), software_requests=None),
        )
    )
    desired = MarketplaceState(
        experiences=(
            Experience(key="open", name="Open", status=Status.ENABLED, principals=frozenset({TOP})),
        )
    )
    (node,) = org_impact(*before_and_after(desired, live), TREE).nodes
    assert (node.id, node.restricted, node.opened) == (TOP, True, False)


def test_nothing_changes_nothing_listed() -> None:
    same = MarketplaceState(experiences=LIVE.experiences)
    impact = org_impact(*before_and_after(same, LIVE), TREE)
    assert impact.nodes == ()
    assert "no account or OU" in render_impact_text(impact, {})


def test_renderings(golden: Callable[[str, str], None]) -> None:
    impact = org_impact(*before_and_after(DESIRED, LIVE), TREE)
    golden("org/impact.txt", render_impact_text(impact, {P2: "two"}))
    markdown = render_impact_markdown(impact, {P2: "two"})
    golden("org/impact.md", markdown)
