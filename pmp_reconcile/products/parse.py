"""Discovery API outputs → our values: a product's facts, the products a listing carries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pmp_reconcile.model import ProductInfo

NOT_AVAILABLE = "NOT_AVAILABLE_FOR_SUBSCRIPTION"


def product_info(output: dict[str, Any]) -> ProductInfo:
    """GetProduct's output as the facts plans show and check."""
    indicators = {i.get("indicatorType") for i in output.get("purchaseIndicators") or []}
    return ProductInfo(
        id=str(output["productId"]),
        name=str(output.get("productName") or output["productId"]),
        publisher=_seller(output.get("manufacturer")),
        available=NOT_AVAILABLE not in indicators,
    )


def _seller(seller: Any) -> str:
    return str((seller or {}).get("displayName") or "")


@dataclass(frozen=True)
class SearchHit:
    """One product of a listing found by a search (a listing may carry several)."""

    product_id: str
    name: str
    publisher: str
    fulfillment: tuple[str, ...]
    listing_id: str
    listing_name: str


def search_hits(listing: dict[str, Any]) -> list[SearchHit]:
    """The products of one listing summary: the ids to allow are theirs, not the listing's."""
    fulfillment = tuple(
        str(o.get("fulfillmentOptionType")) for o in listing.get("fulfillmentOptionSummaries", [])
    )
    hits = []
    for entity in listing.get("associatedEntities", []):
        product = entity.get("product")
        if not product:
            continue
        hits.append(
            SearchHit(
                product_id=str(product["productId"]),
                name=str(product.get("productName") or product["productId"]),
                publisher=_seller(product.get("manufacturer") or listing.get("publisher")),
                fulfillment=fulfillment,
                listing_id=str(listing.get("listingId", "")),
                listing_name=str(listing.get("listingName", "")),
            )
        )
    return hits


@dataclass(frozen=True)
class Shown:
    """One product asked for by ``products show``: ``info`` None when Discovery has no such id."""

    product_id: str
    alias: str | None
    info: ProductInfo | None
