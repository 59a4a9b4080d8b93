"""``products search``: the products of the listings matching a text."""

from __future__ import annotations

from pmp_reconcile.products.api import DiscoveryApi
from pmp_reconcile.products.parse import SearchHit, search_hits


def search_products(api: DiscoveryApi, text: str, max_listings: int) -> list[SearchHit]:
    """Each product of the first ``max_listings`` listings matching ``text``, in their order."""
    listings = api.search_listings(text, max_listings)
    return [hit for listing in listings for hit in search_hits(listing)]
