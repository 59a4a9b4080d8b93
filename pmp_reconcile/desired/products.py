"""Product references: aliases from products.yaml or ids of the three documented shapes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
PRODUCT_ID = re.compile(rf"^({UUID}|prod-[a-zA-Z0-9]+|prodview-[a-zA-Z0-9]+)$")


def is_product_id(text: str) -> bool:
    return PRODUCT_ID.match(text) is not None


_UUID_ID = re.compile(rf"^{UUID}$")


def canonical_id(product_id: str) -> str:
    """The one spelling of a product id: a UUID's hex in lower case, as the API returns it.

    The hex of a UUID names the same product in either case; any other id is kept as written.
    """
    return product_id.lower() if _UUID_ID.match(product_id) else product_id


def resolve(reference: str, aliases: Mapping[str, str]) -> str | None:
    """The product id ``reference`` names (an alias wins over an id of the same spelling)."""
    if reference in aliases:
        return canonical_id(aliases[reference])
    return canonical_id(reference) if is_product_id(reference) else None


def unknown_hint(reference: str, aliases: Mapping[str, str]) -> str:
    close = difflib.get_close_matches(reference, list(aliases), n=1, cutoff=0.6)
    if close:
        return f"did you mean the alias '{close[0]}'?"
    return "define it under products: in products.yaml, or use a UUID, prod-… or prodview-… id"
