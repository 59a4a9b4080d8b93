"""Organization impact for reviewers: one group per distinct change, not one row per account.

300 accounts that move from the same experience to the same one, gaining and losing the same
products, are one group. Each group has a kind (what a reviewer should feel about it), and
groups that leave accounts with no experience at all (the whole public marketplace) come
first, as high impact. Pure: values in, values out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pmp_reconcile.model import NodeKind
from pmp_reconcile.org.impact import NodeImpact, OrgImpact


class ChangeKind(StrEnum):
    """How a group's governance changes; each member carries its label."""

    UNGOVERNED = "ungoverned"
    NEWLY_GOVERNED = "newly_governed"
    LOSES = "loses"
    GAINS = "gains"
    MIXED = "gains_and_loses"
    MOVES = "moves"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ChangeKind.UNGOVERNED: "falls back to no experience (whole public marketplace)",
    ChangeKind.NEWLY_GOVERNED: "newly governed",
    ChangeKind.LOSES: "loses products",
    ChangeKind.GAINS: "gains products",
    ChangeKind.MIXED: "gains and loses products",
    ChangeKind.MOVES: "changes experience, same products",
}


@dataclass(frozen=True)
class ImpactGroup:
    """The accounts and OUs that share one change of governance and products."""

    before: str | None
    after: str | None
    gained: tuple[str, ...]
    lost: tuple[str, ...]
    opened: bool
    restricted: bool
    accounts: tuple[str, ...]
    ous: tuple[str, ...]
    kind: ChangeKind

    @property
    def high_impact(self) -> bool:
        return self.kind is ChangeKind.UNGOVERNED

    def to_document(self) -> dict[str, Any]:
        return {
            "change": self.kind.value,
            "high_impact": self.high_impact,
            "before": self.before,
            "after": self.after,
            "products_gained": list(self.gained),
            "products_lost": list(self.lost),
            "opened_to_all_products": self.opened,
            "restricted_from_all_products": self.restricted,
            "account_count": len(self.accounts),
            "ou_count": len(self.ous),
            "accounts": list(self.accounts),
            "ous": list(self.ous),
        }


def change_kind(node: NodeImpact) -> ChangeKind:
    """What kind of change one account or OU sees."""
    if node.before is not None and node.after is None:
        return ChangeKind.UNGOVERNED
    if node.before is None:
        return ChangeKind.NEWLY_GOVERNED
    gains, loses = bool(node.gained) or node.opened, bool(node.lost) or node.restricted
    if gains and loses:
        return ChangeKind.MIXED
    if loses:
        return ChangeKind.LOSES
    return ChangeKind.GAINS if gains else ChangeKind.MOVES


def signature(node: NodeImpact) -> tuple[Any, ...]:
    """Nodes with equal signatures see the same change."""
    return (node.before, node.after, node.gained, node.lost, node.opened, node.restricted)


def group_impact(impact: OrgImpact) -> tuple[ImpactGroup, ...]:
    """One group per distinct change; high impact first, then the largest."""
    members: dict[tuple[Any, ...], list[NodeImpact]] = {}
    for node in impact.nodes:
        members.setdefault(signature(node), []).append(node)
    groups = [_group(nodes) for nodes in members.values()]
    return tuple(sorted(groups, key=_order))


def _group(nodes: list[NodeImpact]) -> ImpactGroup:
    first = nodes[0]
    return ImpactGroup(
        before=first.before,
        after=first.after,
        gained=first.gained,
        lost=first.lost,
        opened=first.opened,
        restricted=first.restricted,
        accounts=_ids(nodes, NodeKind.ACCOUNT),
        ous=_ids(nodes, NodeKind.OU),
        kind=change_kind(first),
    )


def _ids(nodes: Iterable[NodeImpact], kind: NodeKind) -> tuple[str, ...]:
    return tuple(sorted(n.id for n in nodes if n.kind is kind))


def _order(group: ImpactGroup) -> tuple[Any, ...]:
    size = len(group.accounts) + len(group.ous)
    return (not group.high_impact, -size, group.before or "", group.after or "", group.gained)
