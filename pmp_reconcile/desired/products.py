"""Product references: aliases from products.yaml or ids of the three documented shapes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
PRODUCT_ID_SHAPES = rf"(?:{UUID}|prod-[a-zA-Z0-9]+|prodview-[a-zA-Z0-9]+)"
PRODUCT_ID = re.compile(rf"^{PRODUCT_ID_SHAPES}$")
#: One line that is not a product id, among lines of references (none holds a line break).
_NOT_AN_ID = re.compile(rf"^(?!{PRODUCT_ID_SHAPES}$)", re.MULTILINE)


def is_product_id(text: str) -> bool:
    return PRODUCT_ID.match(text) is not None


def all_product_ids(texts: list[str]) -> bool:
    """Whether every text is a product id, with one search over them all."""
    if not texts:
        return True
    if any("\n" in text for text in texts):
        return all(map(is_product_id, texts))
    return _NOT_AN_ID.search("\n".join(texts)) is None


def resolve(reference: str, aliases: Mapping[str, str]) -> str | None:
    """The product id ``reference`` names (an alias wins over an id of the same spelling)."""
    if reference in aliases:
        return aliases[reference]
    return reference if is_product_id(reference) else None


def unknown_hint(reference: str, aliases: Mapping[str, str]) -> str:
    close = difflib.get_close_matches(reference, list(aliases), n=1, cutoff=0.6)
    if close:
        return f"did you mean the alias '{close[0]}'?"
    return "define it under products: in products.yaml, or use a UUID, prod-… or prodview-… id"
