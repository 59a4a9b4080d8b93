"""The whole governance tree: for every OU and account, what is associated and what governs.

Pure: from a marketplace state (desired or live) and the organization tree. The organization
and root come first, then every node below in breadth-first, id order, so renderings can
stop at any depth and still show whole levels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pmp_reconcile.model import Experience, MarketplaceState, NodeKind
from pmp_reconcile.org.governance import experience_label, govern, governs, principal_index
from pmp_reconcile.org.tree import OrgTree


@dataclass(frozen=True)
class MapNode:
    """One place in the organization and its governance."""

    id: str
    kind: NodeKind
    name: str | None
    parent: str | None
    associated: str | None  # the experience associated with this node itself, if any
    associated_live: bool  # that experience is enabled and not archived
    governing: str | None  # the experience that governs the node (None: public marketplace)

    def to_document(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.kind.value,
            "name": self.name,
            "parent": self.parent,
            "associated_experience": self.associated,
            "associated_experience_governs": self.associated_live,
            "governing_experience": self.governing,
        }


@dataclass(frozen=True)
class GovernanceMap:
    organization_id: str
    nodes: tuple[MapNode, ...]

    def children(self) -> dict[str | None, tuple[MapNode, ...]]:
        below: dict[str | None, list[MapNode]] = {}
        for node in self.nodes:
            below.setdefault(node.parent, []).append(node)
        return {parent: tuple(nodes) for parent, nodes in below.items()}

    def to_document(self) -> dict[str, Any]:
        return {
            "organization_id": self.organization_id,
            "nodes": [node.to_document() for node in self.nodes],
        }


def governance_map(state: MarketplaceState, tree: OrgTree) -> GovernanceMap:
    """Every node of ``tree`` with its association and governing experience under ``state``."""
    index = principal_index(state)
    children = tree.children()
    order = [tree.organization_id, tree.root_id]
    position = 1
    while position < len(order):
        order.extend(children.get(order[position], ()))
        position += 1
    nodes = tuple(_node(node_id, tree, index) for node_id in order)
    return GovernanceMap(tree.organization_id, nodes)


def _node(node_id: str, tree: OrgTree, index: Mapping[str, Experience]) -> MapNode:
    if node_id == tree.organization_id:
        ancestry: tuple[str, ...] = (node_id,)
        kind, parent = NodeKind.ORGANIZATION, None
    else:
        ancestry = tree.ancestry(node_id)
        kind = tree.kind(node_id) if node_id != tree.root_id else NodeKind.ROOT
        parent = tree.parents.get(node_id, tree.organization_id)
    associated = index.get(node_id) if kind is not NodeKind.ROOT else None
    governing = govern(ancestry, index).governing
    return MapNode(
        id=node_id,
        kind=kind,
        name=tree.name(node_id),
        parent=parent,
        associated=experience_label(associated) if associated else None,
        associated_live=associated is not None and governs(associated),
        governing=experience_label(governing) if governing else None,
    )
