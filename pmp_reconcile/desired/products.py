"""Product references: aliases from products.yaml, or product ids as the Catalog API takes them.

The one place that decides what a product id is. The Catalog API takes any id of 1-50
characters; most products have one of three documented shapes (a UUID, ``prod-…``,
``prodview-…``), but AWS's own documentation and samples use others. So an id of another
shape is accepted (``import`` must never refuse a live policy) and only hinted at (D043), most
pointedly when it looks like a typo of an alias or of a documented shape; ``plan`` then asks
the Discovery API whether the product exists (W401).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
DOCUMENTED_SHAPES = rf"(?:{UUID}|prod-[a-zA-Z0-9]+|prodview-[a-zA-Z0-9]+)"
DOCUMENTED_SHAPE = re.compile(rf"^{DOCUMENTED_SHAPES}$")
_CANONICAL_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_CANONICAL_ID = rf"(?:{_CANONICAL_UUID}|prod-[a-zA-Z0-9]+|prodview-[a-zA-Z0-9]+)"
#: Lines that are all ids of a documented shape in their one spelling (see canonical_id).
_CANONICAL_LINES = re.compile(rf"(?:{_CANONICAL_ID}\n)*{_CANONICAL_ID}")
#: What the Catalog API takes in ``Products[].Ids``: 1-50 characters (printable, no spaces).
CATALOG_PRODUCT_ID = re.compile(r"^[!-~]{1,50}$")
_UUID_LIKE = re.compile(r"^[0-9a-fA-F-]{20,}$")
SHAPES_TEXT = "a UUID, prod-… or prodview-…"


def is_product_id(text: str) -> bool:
    """Whether the Catalog API would take ``text`` as a product id."""
    return CATALOG_PRODUCT_ID.match(text) is not None


def has_documented_shape(product_id: str) -> bool:
    return DOCUMENTED_SHAPE.match(product_id) is not None


def only_strings(values: Iterable[object]) -> bool:
    """Whether every value is exactly a ``str``, the types compared in one pass in C (a
    product list can hold thousands)."""
    return set(map(type, values)) <= {str}


def all_canonical_ids(texts: list[str]) -> bool:
    """Whether every text is an id of a documented shape, spelled as ``canonical_id`` spells
    it (so none needs a hint or a change), with one search over them all."""
    if not texts:
        return True
    lines = "\n".join(texts)
    if lines.count("\n") != len(texts) - 1:  # a text holds a line break of its own
        return all(has_documented_shape(t) and canonical_id(t) == t for t in texts)
    return _CANONICAL_LINES.fullmatch(lines) is not None


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


def _close_alias(reference: str, aliases: Mapping[str, str]) -> str | None:
    close = difflib.get_close_matches(reference, list(aliases), n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_hint(reference: str, aliases: Mapping[str, str]) -> str:
    """For a reference that can be neither an alias nor an id."""
    alias = _close_alias(reference, aliases)
    if alias is not None:
        return f"did you mean the alias '{alias}'?"
    return f"define it under products: in products.yaml, or use the product id ({SHAPES_TEXT})"


def odd_shape_hint(product_id: str, aliases: Mapping[str, str]) -> str:
    """For an id the Catalog API takes but of no documented shape: what it may be a typo of."""
    alias = _close_alias(product_id, aliases)
    if alias is not None:
        return f"did you mean the alias '{alias}'?"
    if product_id.lower().startswith(("prod", "prd")):
        return "it looks like a mistyped prod-… or prodview-… id (letters, digits after the dash)"
    if _UUID_LIKE.match(product_id):
        return "it looks like a mistyped UUID (8-4-4-4-12 hexadecimal digits)"
    return f"product ids are usually {SHAPES_TEXT}; if it is an alias, define it in products.yaml"
