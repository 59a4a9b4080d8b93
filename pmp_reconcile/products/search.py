"""``products search``: the products of the listings matching a text, with readable aliases."""

from __future__ import annotations

import re

from pmp_reconcile.products.api import DiscoveryApi
from pmp_reconcile.products.parse import SearchHit, search_hits

_NOT_ALIAS = re.compile(r"[^a-z0-9]+")


def search_products(api: DiscoveryApi, text: str, max_listings: int) -> list[SearchHit]:
    """Each product of the first ``max_listings`` listings matching ``text``, in their order."""
    listings = api.search_listings(text, max_listings)
    return [hit for listing in listings for hit in search_hits(listing)]


def alias_for(name: str) -> str:
    """A products.yaml alias from a product name: "Datadog Pro" → ``datadog-pro``."""
    alias = _NOT_ALIAS.sub("-", name.lower()).strip("-")
    return alias or "product"
