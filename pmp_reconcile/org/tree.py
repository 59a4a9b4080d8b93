"""The organization tree as a value: who is whose parent, from any node up to the organization.

A tree may be partial (only the ancestries that were asked about); every node it holds still
has its whole chain of parents up to the root, so walks never fall off.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pmp_reconcile.errors import InputError, UsageError
from pmp_reconcile.model import NodeKind, node_kind
from pmp_reconcile.org.ids import require


@dataclass(frozen=True)
class OrgTree:
    """``parents`` maps each account and OU to its parent (an OU or the root); ``names`` holds
    the names Organizations (or the file) gave, where known."""

    organization_id: str
    root_id: str
    parents: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        require(self.organization_id, NodeKind.ORGANIZATION)
        require(self.root_id, NodeKind.ROOT)

    def knows(self, node_id: str) -> bool:
        return node_id in self.parents or node_id == self.root_id

    def ancestry(self, node_id: str) -> tuple[str, ...]:
        """The node, its parents up to the root, then the organization (closest first)."""
        if not self.knows(node_id):
            raise UsageError(
                f"{node_id} is not in organization {self.organization_id}",
                hint="check the id (and the credentials' organization, or --org-file)",
            )
        chain = [node_id]
        while chain[-1] != self.root_id:
            chain.append(self.parents[chain[-1]])
            if len(chain) > len(self.parents) + 1:
                raise InputError(f"the organization tree has a cycle through {node_id}")
        return (*chain, self.organization_id)

    def members(self) -> Iterator[str]:
        """Every account and OU the tree holds, in id order."""
        return iter(sorted(self.parents))

    def children(self) -> dict[str, tuple[str, ...]]:
        """Each parent's children, in id order."""
        below: dict[str, list[str]] = {}
        for child, parent in sorted(self.parents.items()):
            below.setdefault(parent, []).append(child)
        return {parent: tuple(nodes) for parent, nodes in below.items()}

    def name(self, node_id: str) -> str | None:
        return self.names.get(node_id)

    def kind(self, node_id: str) -> NodeKind:
        kind = node_kind(node_id)
        assert kind is not None, node_id
        return kind

    def to_document(self) -> dict[str, Any]:
        """Nested ``{"id", "children"}`` from the root, as ``--org-file`` reads it."""
        children = self.children()

        def node(node_id: str) -> dict[str, Any]:
            named = {"name": self.names[node_id]} if node_id in self.names else {}
            below = [node(c) for c in children.get(node_id, ())]
            return {"id": node_id, **named, **({"children": below} if below else {})}

        return {"organization_id": self.organization_id, "root": node(self.root_id)}


def tree_from_document(document: Any, source: str = "organization tree") -> OrgTree:
    """An :class:`OrgTree` from its nested document (see :meth:`OrgTree.to_document`)."""
    try:
        root = document["root"]
        parents: dict[str, str] = {}
        names: dict[str, str] = {}
        _collect(root, parents, names)
        return OrgTree(
            organization_id=str(document["organization_id"]),
            root_id=str(root["id"]),
            parents=MappingProxyType(parents),
            names=MappingProxyType(names),
        )
    except (KeyError, TypeError) as error:
        raise InputError(
            f"{source} is not an organization tree: missing or misplaced {error}",
            hint='expected {"organization_id": "o-…", "root": {"id": "r-…", "children": [...]}}',
        ) from error
    except UsageError as error:
        raise InputError(f"{source}: {error.message}", hint=error.hint) from error


def _collect(node: Mapping[str, Any], parents: dict[str, str], names: dict[str, str]) -> None:
    parent = str(node["id"])
    if node.get("name"):
        names[parent] = str(node["name"])
    for child in node.get("children", ()):
        child_id = str(child["id"])
        require(child_id, NodeKind.ACCOUNT, NodeKind.OU)
        if child_id in parents:
            raise InputError(f"{child_id} appears twice in the organization tree")
        parents[child_id] = parent
        _collect(child, parents, names)


def load_tree_file(path: Path) -> OrgTree:
    """Read ``--org-file`` (JSON)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from error
    except ValueError as error:
        raise InputError(f"{path} is not JSON: {error}") from error
    return tree_from_document(document, str(path))
