"""Checks that name the expected shape when an AWS Organizations id is off (the shapes and
kinds themselves are :data:`pmp_reconcile.model.ID_SHAPES`)."""

from __future__ import annotations

from pmp_reconcile.errors import UsageError
from pmp_reconcile.model import ID_SHAPES, NodeKind, node_kind


def require(node_id: str, *kinds: NodeKind) -> NodeKind:
    """The id's kind when it is one of ``kinds``; a usage error naming the shapes otherwise."""
    kind = node_kind(node_id)
    if kind in kinds:
        assert kind is not None
        return kind
    wanted = " or ".join(k.value for k in kinds)
    hints = "; ".join(hint for k, _, hint in ID_SHAPES if k in kinds)
    found = f" (that is {kind.value} id)" if kind is not None else ""
    raise UsageError(f"'{node_id}' is not {_article(wanted)} {wanted} id{found}", hint=hints)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
