"""``map``: the whole governance tree as text, a mermaid flowchart, or JSON.

Text lists every node. The flowchart draws the organization, root and OUs one by one and the
accounts under each parent that share their governance as one node ("40 accounts"), capped
at ``max_nodes`` with a last node counting what was left out, so a large organization stays a
picture one can read.
"""

from __future__ import annotations

import json

from pmp_reconcile.model import NodeKind
from pmp_reconcile.org.governance_map import GovernanceMap, MapNode
from pmp_reconcile.views.formats import MAP_FORMATS, OutputFormat
from pmp_reconcile.views.mermaid import Flowchart

FORMATS = MAP_FORMATS
MAX_NODES = 80
NONE = "none (public marketplace)"


def render_map(governance: GovernanceMap, output: OutputFormat) -> str:
    if output is OutputFormat.JSON:
        return json.dumps(governance.to_document(), indent=2, ensure_ascii=False) + "\n"
    if output is OutputFormat.MERMAID:
        return map_chart(governance)
    return map_text(governance)


def _title(node: MapNode) -> str:
    return f"{node.id} {node.name}" if node.name else node.id


def _governance(node: MapNode) -> str:
    text = f"governed by {node.governing or NONE}"
    if node.associated and node.associated_live:
        return f"{text} (associated here)"
    if node.associated:
        return f"{text} ({node.associated} associated here: not enabled, skipped)"
    return text


def map_text(governance: GovernanceMap) -> str:
    """One line a node, indented under its parent."""
    children = governance.children()
    rows: list[tuple[str, MapNode]] = []

    def walk(node: MapNode, prefix: str, last: bool, top: bool) -> None:
        branch = "" if top else ("└── " if last else "├── ")
        rows.append((prefix + branch + _title(node), node))
        below = children.get(node.id, ())
        inner = prefix if top else prefix + ("    " if last else "│   ")
        for index, child in enumerate(below):
            walk(child, inner, index == len(below) - 1, False)

    for top in children.get(None, ()):
        walk(top, "", True, True)
    width = max(len(text) for text, _ in rows)
    return "".join(f"{text:<{width}}  {_governance(node)}\n" for text, node in rows)


def map_chart(governance: GovernanceMap, max_nodes: int = MAX_NODES) -> str:
    """The tree top-down; accounts sharing a parent and governance are one node."""
    children = governance.children()
    chart = Flowchart(direction="LR")
    hidden = 0
    pending = list(children.get(None, ()))
    for top in pending:
        chart.node(top.id, _lines(top), _style(top))
    while pending:
        parent = pending.pop(0)
        for key, members in _grouped(children.get(parent.id, ())):
            if len(chart) >= max_nodes:
                hidden += _count(members, children)
                continue
            chart.node(key, _group_lines(members), _style(members[0]))
            chart.edge(parent.id, key)
            pending += [m for m in members if m.kind is not NodeKind.ACCOUNT]
    if hidden:
        chart.node("more", [f"{hidden} more accounts and OUs not drawn"], "untouched")
        chart.edge(governance.nodes[0].id, "more", dashed=True)
    return chart.text()


def _grouped(nodes: tuple[MapNode, ...]) -> list[tuple[str, list[MapNode]]]:
    """OUs one by one; accounts not associated themselves, by governing experience."""
    single = [(n.id, [n]) for n in nodes if n.kind is not NodeKind.ACCOUNT or n.associated]
    shared: dict[str | None, list[MapNode]] = {}
    for node in nodes:
        if node.kind is NodeKind.ACCOUNT and not node.associated:
            shared.setdefault(node.governing, []).append(node)
    grouped = [(m[0].id if len(m) == 1 else f"{m[0].id}+", m) for m in shared.values()]
    return single + grouped


def _count(members: list[MapNode], children: dict[str | None, tuple[MapNode, ...]]) -> int:
    """The nodes in ``members`` and everything below them."""
    total = 0
    pending = list(members)
    while pending:
        node = pending.pop()
        total += 1
        pending += children.get(node.id, ())
    return total


def _lines(node: MapNode) -> list[str]:
    kind = {NodeKind.ORGANIZATION: "organization", NodeKind.ROOT: "root"}.get(node.kind)
    title = f"{node.name} ({node.id})" if node.name else node.id
    head = f"{kind} {title}" if kind and not node.name else title
    return [head, _governance(node)]


def _group_lines(members: list[MapNode]) -> list[str]:
    if len(members) == 1:
        return _lines(members[0])
    return [f"{len(members)} accounts", _governance(members[0])]


def _style(node: MapNode) -> str:
    if node.associated and node.associated_live:
        return "associated"
    return "inherits" if node.governing else "ungoverned"
