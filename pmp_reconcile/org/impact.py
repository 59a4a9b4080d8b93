"""Who a plan affects: accounts and OUs whose governing experience or allowed products change.

Pure: from the live marketplace, the marketplace as the plan leaves it, and the organization
tree. :func:`before_and_after` derives the second from the desired tree the way ``apply``
would (desired experiences are the whole truth; unmanaged live ones keep what no file claims,
and are archived when ``pmp.yaml`` says so).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from pmp_reconcile.model import Experience, MarketplaceState, NodeKind, Status, UnmanagedPolicy
from pmp_reconcile.org.governance import (
    PrincipalIndex,
    allowed_products,
    experience_label,
    govern,
    principal_index,
)
from pmp_reconcile.org.tree import OrgTree
from pmp_reconcile.plan.match import keyed, match_experiences


def before_and_after(
    desired: MarketplaceState, live: MarketplaceState
) -> tuple[MarketplaceState, MarketplaceState]:
    """Live (named by the file keys that manage it) and live as the plan would leave it."""
    pairing = match_experiences(desired.experiences, live.experiences)
    before = keyed(pairing, live.experiences)
    claimed = {p for d in desired.experiences for p in d.principals}
    managed = tuple(
        replace(d, id=pair_live.id if pair_live else None) for d, pair_live in pairing.pairs
    )
    archive = desired.settings.unmanaged_experiences is UnmanagedPolicy.ARCHIVE
    leftovers = tuple(_unmanaged_after(e, claimed, archive) for e in pairing.unmanaged)
    return (
        replace(live, experiences=before),
        replace(live, experiences=managed + leftovers),
    )


def _unmanaged_after(experience: Experience, claimed: set[str], archive: bool) -> Experience:
    left = replace(experience, principals=experience.principals - claimed)
    return replace(left, status=Status.DISABLED, archived=True) if archive else left


@dataclass(frozen=True)
class NodeImpact:
    """One account or OU whose governance or allowed products change."""

    id: str
    kind: NodeKind
    before: str | None
    after: str | None
    gained: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()
    opened: bool = False  # was limited, may now buy everything
    restricted: bool = False  # could buy everything, is now limited

    def to_document(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.kind.value,
            "before": self.before,
            "after": self.after,
            "products_gained": list(self.gained),
            "products_lost": list(self.lost),
            "opened_to_all_products": self.opened,
            "restricted_from_all_products": self.restricted,
        }


@dataclass(frozen=True)
class OrgImpact:
    """The nodes that change, and the tree they were found in (for drawing them in place)."""

    nodes: tuple[NodeImpact, ...]
    tree: OrgTree | None = None

    def count(self, kind: NodeKind) -> int:
        return sum(1 for n in self.nodes if n.kind is kind)

    def by_experience(self) -> dict[str, tuple[NodeImpact, ...]]:
        """Experience label → the nodes it gains or loses or whose products it changes."""
        groups: dict[str, list[NodeImpact]] = {}
        for node in self.nodes:
            for label in sorted({x for x in (node.before, node.after) if x is not None}):
                groups.setdefault(label, []).append(node)
        return {label: tuple(groups[label]) for label in sorted(groups)}

    def to_document(self) -> dict[str, Any]:
        return {
            "accounts": self.count(NodeKind.ACCOUNT),
            "ous": self.count(NodeKind.OU),
            "experiences": {
                label: [n.id for n in nodes] for label, nodes in self.by_experience().items()
            },
            "nodes": [n.to_document() for n in self.nodes],
        }


def org_impact(before: MarketplaceState, after: MarketplaceState, tree: OrgTree) -> OrgImpact:
    """Every account and OU of ``tree`` whose governing experience or products change."""
    indexes = (principal_index(before), principal_index(after))
    found = (_node_impact(node, tree, indexes) for node in tree.members())
    return OrgImpact(tuple(n for n in found if n is not None), tree)


def _node_impact(
    node: str, tree: OrgTree, indexes: tuple[PrincipalIndex, PrincipalIndex]
) -> NodeImpact | None:
    ancestry = tree.ancestry(node)
    old, new = (govern(ancestry, index).governing for index in indexes)
    old_products, new_products = allowed_products(old), allowed_products(new)
    old_label, new_label = _label(old), _label(new)
    if old_label == new_label and old_products == new_products:
        return None
    return NodeImpact(
        id=node,
        kind=tree.kind(node),
        before=old_label,
        after=new_label,
        gained=_sorted_difference(new_products, old_products),
        lost=_sorted_difference(old_products, new_products),
        opened=old_products is not None and new_products is None,
        restricted=old_products is None and new_products is not None,
    )


def _label(experience: Experience | None) -> str | None:
    return experience_label(experience) if experience is not None else None


def _sorted_difference(
    left: frozenset[str] | None, right: frozenset[str] | None
) -> tuple[str, ...]:
    if left is None or right is None:
        return ()
    return tuple(sorted(left - right))
