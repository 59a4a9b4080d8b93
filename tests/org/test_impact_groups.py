"""Impact for reviewers: groups instead of rows per account, high impact first, capped diagram."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from pmp_reconcile.org.impact import OrgImpact, before_and_after, org_impact
from pmp_reconcile.org.impact_groups import ChangeKind, group_impact
from pmp_reconcile.views.governance_map import MAX_NODES as MAP_MAX_NODES
from pmp_reconcile.views.governance_map import map_chart
from pmp_reconcile.views.impact import render_impact_markdown, render_impact_text
from pmp_reconcile.views.impact_diagram import MAX_CHILDREN, MAX_NODES, impact_chart

from big_org import (
    ORG,
    P1,
    P2,
    P3,
    account_id,
    big_tree,
    desired,
    large_map,
    live,
    ou_id,
    state,
)


def impact_of(tree_ous: int, per_ou: int, engineering_ous: int) -> OrgImpact:
    """Live: one experience for the whole organization. Desired: it gains P2, and the first
    ``engineering_ous`` OUs move to an engineering experience that allows only P3."""
    tree = big_tree(tree_ous, per_ou)
    before = state(live("exp-base", "Base", [ORG], [P1]))
    engineering = [ou_id(i) for i in range(engineering_ous)]
    after = state(desired("base", [ORG], [P1, P2]), desired("engineering", engineering, [P3]))
    return org_impact(*before_and_after(after, before), tree)


def test_300_accounts_sharing_a_change_are_one_group_and_one_row() -> None:
    impact = impact_of(tree_ous=10, per_ou=50, engineering_ous=6)
    groups = group_impact(impact)
    moved = next(g for g in groups if g.after == "engineering")
    assert (len(moved.accounts), len(moved.ous)) == (300, 6)
    assert (moved.before, moved.gained, moved.lost) == ("base", (P3,), (P1,))
    assert moved.kind is ChangeKind.MIXED
    markdown = render_impact_markdown(impact, {})
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert len(rows) == 2 + len(groups) == 4  # header, separator, one row per group
    assert "| `base` → `engineering` | 300 | 6 |" in markdown
    for index in range(50):
        assert f"`{account_id(5, index)}`" in markdown  # every account is in a folded list
    text = render_impact_text(impact, {})
    assert "base → engineering, gains and loses products: 300 accounts, 6 OUs" in text
    assert "and 296 more" in text


def test_falling_back_to_no_experience_is_called_out_first() -> None:
    tree = big_tree(3, 4)
    before = state(
        live("exp-base", "Base", [ou_id(0), ou_id(1)], [P1]),
        live("exp-mkt", "Marketing", [ou_id(2)], [P2]),
    )
    after = state(desired("base", [ou_id(0), ou_id(1)], [P1, P2]), archive=True)
    impact = org_impact(*before_and_after(after, before), tree)
    groups = group_impact(impact)
    assert groups[0].high_impact
    assert (groups[0].before, groups[0].after) == ("exp-mkt", None)
    assert groups[0].kind is ChangeKind.UNGOVERNED
    assert (len(groups[0].accounts), groups[0].ous) == (4, (ou_id(2),))
    markdown = render_impact_markdown(impact, {})
    assert "> [!CAUTION]" in markdown
    assert "> **High impact:** 4 accounts and 1 OU fall back to no experience" in markdown
    assert "| **high impact**: falls back to no experience" in markdown
    assert "HIGH IMPACT: exp-mkt → none" in render_impact_text(impact, {})
    chart = impact_chart(impact, {}) or ""
    assert re.search(r"^  class n\d+(,n\d+)* ungoverned$", chart, flags=re.MULTILINE), chart


def _drawn_and_left_out(chart: str) -> tuple[int, int, int]:
    """Nodes drawn; affected accounts and OUs drawn; those the chart says it left out."""
    labels = re.findall(r'^  n\d+\["([^"]*)"\]$', chart, flags=re.MULTILINE)
    drawn_ous = sum(1 for label in labels if re.match(r"team \d+ \(ou-", label))
    counted = (re.match(r"^(\d+) accounts", label) for label in labels)
    drawn_accounts = sum(int(m.group(1)) for m in counted if m)
    left_out = sum(int(n) for n in re.findall(r"(\d+) more (?:changed|affected)", chart))
    return len(labels), drawn_ous + drawn_accounts, left_out


@pytest.mark.parametrize("max_nodes", [MAX_NODES, 10])
def test_a_large_diagram_is_capped_and_counts_what_it_leaves_out(max_nodes: int) -> None:
    """100 OUs of 5 accounts, each OU moving to its own experience: 600 nodes change."""
    tree = big_tree(100, 5)
    before = state(live("exp-base", "Base", [ORG], [P1]))
    after = state(
        desired("base", [ORG], [P1]),
        *(desired(f"team{i}", [ou_id(i)], [P3]) for i in range(100)),
    )
    impact = org_impact(*before_and_after(after, before), tree)
    chart = impact_chart(impact, {}, max_nodes=max_nodes) or ""
    nodes, drawn, left_out = _drawn_and_left_out(chart)
    assert nodes <= max_nodes + 1
    assert drawn + left_out == 600
    assert chart.count("  n0 --- ") <= MAX_CHILDREN  # the root's drawn children
    if max_nodes == 10:
        assert "more affected accounts and OUs not drawn: see the table" in chart


def test_impact_goldens(golden: Callable[[str, str], None]) -> None:
    tree = big_tree(4, 3)
    before = state(
        live("exp-base", "Base", [ORG], [P1]),
        live("exp-mkt", "Marketing", [ou_id(3)], [P2]),
    )
    after = state(
        desired("base", [ou_id(1), ou_id(2)], [P1, P2]),
        desired("engineering", [ou_id(0)], [P3]),
        archive=True,
    )
    impact = org_impact(*before_and_after(after, before), tree)
    aliases = {"one": P1, "two": P2}
    names = {v: k for k, v in aliases.items()}
    golden("org/impact-groups.txt", render_impact_text(impact, names))
    golden("org/impact-groups.md", render_impact_markdown(impact, names))


def test_a_large_map_is_capped_and_counts_what_it_leaves_out() -> None:
    chart = map_chart(large_map())
    labels = re.findall(r'^  n\d+\["([^"]*)"\]$', chart, flags=re.MULTILINE)
    assert len(labels) == MAP_MAX_NODES + 1
    drawn_ous = sum(1 for label in labels if re.match(r"team \d+ \(ou-", label))
    counted = (re.match(r"^(\d+) accounts", label) for label in labels)
    drawn_accounts = sum(int(m.group(1)) for m in counted if m)
    more = re.search(r"(\d+) more accounts and OUs not drawn", chart)
    assert more is not None
    assert int(more.group(1)) == 600 - drawn_ous - drawn_accounts
