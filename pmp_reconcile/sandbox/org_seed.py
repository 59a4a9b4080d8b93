"""The organization of a seed: checked before anything is built from it.

A seed's ``organization`` has the shape of ``--org-file`` (root, OUs and accounts nested by
``children``), with optional names and the management account::

    {"organization_id": "o-exampleorg01", "management_account_id": "111111111111",
     "root": {"id": "r-ab12", "children": [
         {"id": "ou-ab12-finance1", "name": "Finance", "children": [
             {"id": "222222222222", "name": "finance-prod"}]}]}}

The sandbox keeps what it was seeded with in ``organization.json``, plus what bootstrap
changed (trusted access, delegated administrators). Errors are ``ValueError`` naming the path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pmp_reconcile.sandbox.seeding import _mapping

SEED_KEY = "organization"
ORGANIZATION_KEYS = {
    "organization_id",
    "management_account_id",
    "root",
    "service_access",
    "delegated_administrators",
    "service_linked_roles",
}
NODE_KEYS = {"id", "name", "children"}
# The id shapes AWS Organizations documents for each kind of node.
SHAPES = {
    "organization": re.compile(r"^o-[a-z0-9]{10,32}$"),
    "root": re.compile(r"^r-[0-9a-z]{4,32}$"),
    "ou": re.compile(r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$"),
    "account": re.compile(r"^\d{12}$"),
}


def split_seed(seed: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The marketplace part of a seed, and its checked organization (None when absent)."""
    if SEED_KEY not in seed:
        return seed, None
    rest = {k: v for k, v in seed.items() if k != SEED_KEY}
    return rest, check_organization(seed[SEED_KEY])


def check_organization(document: Any) -> dict[str, Any]:
    """``document`` when it is a well-formed organization; ValueError otherwise."""
    checked = _mapping(document, SEED_KEY, ORGANIZATION_KEYS)
    _id(checked.get("organization_id"), "organization", f"{SEED_KEY}.organization_id")
    root = _mapping(checked.get("root"), f"{SEED_KEY}.root", NODE_KEYS)
    _id(root.get("id"), "root", f"{SEED_KEY}.root.id")
    seen: set[str] = set()
    for where, node, kind in _descendants(root, f"{SEED_KEY}.root"):
        _id(node.get("id"), kind, f"{where}.id")
        if node["id"] in seen:
            raise ValueError(f"{where}.id: {node['id']} appears twice in the organization")
        seen.add(node["id"])
    management = checked.get("management_account_id")
    if management is not None:
        _id(management, "account", f"{SEED_KEY}.management_account_id")
    return checked


def _descendants(node: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Every account and OU below ``node``: (path, node, kind), parents first."""
    children = node.get("children") or []
    if not isinstance(children, list):
        raise ValueError(f"{where}.children must be a list")
    for index, child in enumerate(children):
        path = f"{where}.children[{index}]"
        _mapping(child, path, NODE_KEYS)
        kind = "ou" if str(child.get("id", "")).startswith("ou-") else "account"
        if kind == "account" and child.get("children"):
            raise ValueError(f"{path}: an account has no children")
        yield path, child, kind
        yield from _descendants(child, path)


def _id(value: Any, kind: str, where: str) -> None:
    if not isinstance(value, str) or not SHAPES[kind].match(value):
        article = "an" if kind[0] in "aeiou" else "a"
        raise ValueError(f"{where}: {value!r} is not {article} {kind} id")
