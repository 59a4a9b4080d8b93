"""AWS Organizations ids: their kinds, and checks that name the expected shape when one is off."""

from __future__ import annotations

import re
from enum import StrEnum

from pmp_reconcile.errors import UsageError
from pmp_reconcile.model import ACCOUNT_ID_RE, ORGANIZATION_ID_RE, OU_ID_RE

ROOT_ID_RE = re.compile(r"^r-[0-9a-z]{4,32}$")


class NodeKind(StrEnum):
    """A place in the organization tree (the organization sits above its root)."""

    ACCOUNT = "account"
    OU = "ou"
    ROOT = "root"
    ORGANIZATION = "organization"


_SHAPES: tuple[tuple[NodeKind, re.Pattern[str], str], ...] = (
    (NodeKind.ACCOUNT, ACCOUNT_ID_RE, "an account id is 12 digits, e.g. 111122223333"),
    (NodeKind.OU, OU_ID_RE, "an OU id looks like ou-ab12-cdefgh34"),
    (NodeKind.ROOT, ROOT_ID_RE, "a root id looks like r-ab12"),
    (NodeKind.ORGANIZATION, ORGANIZATION_ID_RE, "an organization id looks like o-abcdefghij"),
)


def node_kind(node_id: str) -> NodeKind | None:
    """The kind of an Organizations id, or None when it has no known shape."""
    for kind, pattern, _ in _SHAPES:
        if pattern.match(node_id):
            return kind
    return None


def require(node_id: str, *kinds: NodeKind) -> NodeKind:
    """The id's kind when it is one of ``kinds``; a usage error naming the shapes otherwise."""
    kind = node_kind(node_id)
    if kind in kinds:
        assert kind is not None
        return kind
    wanted = " or ".join(k.value for k in kinds)
    hints = "; ".join(hint for k, _, hint in _SHAPES if k in kinds)
    found = f" (that is {kind.value} id)" if kind is not None else ""
    raise UsageError(f"'{node_id}' is not {_article(wanted)} {wanted} id{found}", hint=hints)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
