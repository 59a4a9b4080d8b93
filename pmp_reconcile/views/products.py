"""``products search`` and ``products show``: tables for people, JSON for tools, and
``products.yaml`` lines ready to paste (aliases derived from the names)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import yaml

from pmp_reconcile.products.aliases import alias_for
from pmp_reconcile.products.parse import SearchHit, Shown
from pmp_reconcile.views.formats import OutputFormat

AVAILABLE = "available for subscription"
NOT_AVAILABLE = "not available for new subscriptions"
UNKNOWN = "unknown to the Discovery API (a private product may be visible only through its offer)"


def search_text(text: str, hits: Sequence[SearchHit]) -> str:
    if not hits:
        return f'No listing matches "{text}".\n'
    rows = [("PRODUCT ID", "NAME", "PUBLISHER", "FULFILLMENT")]
    rows += [(h.product_id, h.name, h.publisher, ", ".join(h.fulfillment)) for h in hits]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + f"  {row[3]}"
        for row in rows
    ]
    listings = len({h.listing_id for h in hits})
    lines.append(f'{len(hits)} product(s) in {listings} listing(s) matching "{text}"')
    return "".join(f"{line.rstrip()}\n" for line in lines)


def search_json(text: str, hits: Sequence[SearchHit]) -> str:
    aliases = _aliases(hits)
    products = [{**_hit(hit), "alias": alias} for hit, alias in zip(hits, aliases, strict=True)]
    return json.dumps({"query": text, "products": products}, indent=2, ensure_ascii=False) + "\n"


def _hit(hit: SearchHit) -> dict[str, Any]:
    return {
        "product_id": hit.product_id,
        "name": hit.name,
        "publisher": hit.publisher,
        "fulfillment": list(hit.fulfillment),
        "listing_id": hit.listing_id,
        "listing_name": hit.listing_name,
    }


def search_yaml(text: str, hits: Sequence[SearchHit]) -> str:
    """A products.yaml of the hits: one alias line each, the name as a comment."""
    lines = [f'# {len(hits)} product(s) matching "{_one_line(text)}"; keep the lines you want']
    lines.append("products:" if hits else "products: {}")
    for hit, alias in zip(hits, _aliases(hits), strict=True):
        comment = _one_line(f"{hit.name} ({hit.publisher})" if hit.publisher else hit.name)
        lines.append(f"  {alias}: {_scalar(hit.product_id)}  # {comment}")
    return "".join(f"{line}\n" for line in lines)


def _aliases(hits: Sequence[SearchHit]) -> list[str]:
    """An alias per hit, unique (a repeated one gets -2, -3, …)."""
    seen: dict[str, int] = {}
    result = []
    for hit in hits:
        alias = alias_for(hit.name)
        seen[alias] = seen.get(alias, 0) + 1
        result.append(alias if seen[alias] == 1 else f"{alias}-{seen[alias]}")
    return result


def _scalar(value: str) -> str:
    """``value`` as YAML reads it back: plain when it survives, quoted otherwise."""
    plain = value if yaml.safe_load(f"k: {value}") == {"k": value} else None
    return plain if plain is not None else json.dumps(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def shown_text(shown: Sequence[Shown]) -> str:
    lines = []
    for item in shown:
        title = f"{item.alias} ({item.product_id})" if item.alias else item.product_id
        lines.append(title)
        if item.info is None:
            lines.append(f"  {UNKNOWN}")
            continue
        lines.append(f"  name:         {item.info.name}")
        lines.append(f"  publisher:    {item.info.publisher}")
        lines.append(f"  availability: {AVAILABLE if item.info.available else NOT_AVAILABLE}")
    return "".join(f"{line}\n" for line in lines)


def shown_json(shown: Sequence[Shown]) -> str:
    products = [
        {
            "product_id": item.product_id,
            "alias": item.alias,
            "known": item.info is not None,
            "name": item.info.name if item.info else None,
            "publisher": item.info.publisher if item.info else None,
            "available": item.info.available if item.info else None,
        }
        for item in shown
    ]
    return json.dumps({"products": products}, indent=2, ensure_ascii=False) + "\n"


def render_search(text: str, hits: Sequence[SearchHit], output: OutputFormat) -> str:
    if output is OutputFormat.JSON:
        return search_json(text, hits)
    if output is OutputFormat.YAML:
        return search_yaml(text, hits)
    return search_text(text, hits)


def render_shown(shown: Sequence[Shown], output: OutputFormat) -> str:
    return shown_json(shown) if output is OutputFormat.JSON else shown_text(shown)
