"""The affected part of the organization as a mermaid flowchart, for the markdown plan.

Drawn: the accounts and OUs whose governance changes, their ancestors up to the root, and
per drawn parent one node counting its untouched children. Accounts under one parent that
see the same change are one node ("212 accounts"), so a 500-account organization stays a
readable picture. Nodes are added top-down, at most ``MAX_CHILDREN`` under one parent (one more
node counts the rest there); past ``max_nodes`` nothing more is drawn and one last node says
how many affected accounts and OUs that leaves out. The chart runs left to right, so an
organization's breadth becomes height, which pages scroll.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from pmp_reconcile.model import NodeKind
from pmp_reconcile.org.impact import NodeImpact, OrgImpact
from pmp_reconcile.org.impact_groups import change_kind, signature
from pmp_reconcile.org.tree import OrgTree
from pmp_reconcile.views.mermaid import Flowchart

MAX_NODES = 60
# Children drawn per parent: past it, one node counts the rest, so no level grows too wide.
MAX_CHILDREN = 8
NONE = "none (public marketplace)"


def impact_chart(
    impact: OrgImpact, aliases: Mapping[str, str], max_nodes: int = MAX_NODES
) -> str | None:
    """The flowchart, or None when nothing changes or the tree is not known."""
    if impact.tree is None or not impact.nodes:
        return None
    drawing = _Drawing(impact.tree, {n.id: n for n in impact.nodes}, aliases, max_nodes)
    return drawing.draw()


class _Drawing:
    def __init__(
        self,
        tree: OrgTree,
        affected: dict[str, NodeImpact],
        aliases: Mapping[str, str],
        max_nodes: int,
    ) -> None:
        self.tree, self.affected, self.aliases, self.max_nodes = tree, affected, aliases, max_nodes
        self.children = tree.children()
        self.below = Counter(a for node in affected for a in tree.ancestry(node)[1:])
        self.chart = Flowchart(direction="LR")
        self.hidden = 0
        self.drawn: Counter[str] = Counter()
        self.folded: Counter[str] = Counter()

    def draw(self) -> str:
        root = self.tree.root_id
        self.chart.node(root, [_title(self.tree, root), self.tree.organization_id], "context")
        pending = [root]
        while pending:
            pending += self._container(pending.pop(0))
        if self.hidden:
            more = f"{self.hidden} more affected accounts and OUs not drawn: see the table"
            self.chart.node("more", [more], "untouched")
            self.chart.edge(root, "more", dashed=True)
        return self.chart.text()

    def _container(self, parent: str) -> list[str]:
        """Draw what changes under ``parent``; the OUs to descend into next."""
        kids = self.children.get(parent, ())
        ous = [k for k in kids if self._kind(k) is NodeKind.OU and self._relevant(k)]
        accounts = [k for k in kids if self._kind(k) is NodeKind.ACCOUNT and k in self.affected]
        descend = [ou for ou in ous if self._ou(parent, ou)]
        self._accounts(parent, accounts)
        self._fold(parent)
        untouched = len(kids) - len(ous) - len(accounts)
        if untouched and self._room():
            key = f"{parent}/untouched"
            self.chart.node(key, [f"{untouched} unchanged"], "untouched")
            self.chart.edge(parent, key, dashed=True)
        return [ou for ou in descend if self.below[ou]]

    def _fold(self, parent: str) -> None:
        """One node counting what changed under ``parent`` past its ``MAX_CHILDREN``."""
        count = self.folded[parent]
        if not count:
            return
        if not self._room():
            self.hidden += count
            return
        key = f"{parent}/folded"
        self.chart.node(key, [f"{count} more changed here, not drawn: see the table"], "untouched")
        self.chart.edge(parent, key, dashed=True)

    def _fits(self, parent: str, count: int) -> bool:
        """Whether one more child fits under ``parent``; if not, ``count`` is folded or hidden."""
        if self._room() and self.drawn[parent] < MAX_CHILDREN:
            self.drawn[parent] += 1
            return True
        if self._room():
            self.folded[parent] += count
        else:
            self.hidden += count
        return False

    def _ou(self, parent: str, ou: str) -> bool:
        if not self._fits(parent, self.below[ou] + (ou in self.affected)):
            return False
        node = self.affected.get(ou)
        lines = [_title(self.tree, ou), *(self._change(node) if node else [])]
        self.chart.node(ou, lines, change_kind(node).value if node else "context")
        self.chart.edge(parent, ou)
        return True

    def _accounts(self, parent: str, accounts: Sequence[str]) -> None:
        groups: dict[tuple[object, ...], list[str]] = {}
        for account in accounts:
            groups.setdefault(signature(self.affected[account]), []).append(account)
        for members in groups.values():
            if not self._fits(parent, len(members)):
                continue
            node = self.affected[members[0]]
            key = members[0] if len(members) == 1 else f"{parent}/{members[0]}+"
            title = _title(self.tree, key) if len(members) == 1 else f"{len(members)} accounts"
            self.chart.node(key, [title, *self._change(node)], change_kind(node).value)
            self.chart.edge(parent, key)

    def _change(self, node: NodeImpact) -> list[str]:
        moves = f"{node.before or NONE} → {node.after or NONE}"
        lines = [f"{node.after} (same experience)" if node.before == node.after else moves]
        products = _products(node, self.aliases)
        return [*lines, products] if products else lines

    def _room(self) -> bool:
        return len(self.chart) < self.max_nodes

    def _relevant(self, node_id: str) -> bool:
        return node_id in self.affected or self.below[node_id] > 0

    def _kind(self, node_id: str) -> NodeKind:
        return self.tree.kind(node_id)


def _title(tree: OrgTree, node_id: str) -> str:
    name = tree.name(node_id)
    return f"{name} ({node_id})" if name else node_id


def _products(node: NodeImpact, aliases: Mapping[str, str]) -> str:
    if node.opened:
        return "all products open"
    if node.restricted:
        return "limited to its experience's products"
    named = [f"+{aliases.get(p, p)}" for p in node.gained]
    named += [f"−{aliases.get(p, p)}" for p in node.lost]
    if len(named) > 3:
        return f"+{len(node.gained)} / −{len(node.lost)} products"
    return " ".join(named)
