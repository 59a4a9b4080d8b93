"""The AWS Marketplace Discovery API as the sandbox plays it: GetProduct and SearchListings.

:class:`ProductCatalog` holds the seeded products (``discovery_seed``) and answers the two
operations with botocore's output shapes (API 2026-02-05), raising the Discovery errors
(``discovery_errors``). Emulation choices where AWS's documentation is silent:

* Search: ``searchText`` is split into words; a listing matches when every word occurs (case
  ignored) in its name, publisher, description, categories or any of its products' names and
  ids. Without ``searchText`` every listing matches. Results are ordered by relevance: listings
  whose name holds every word first, then by listing name.
* Filters: ``PRODUCT_ID``, ``PUBLISHER`` (seller profile id), ``FULFILLMENT_OPTION_TYPE`` and
  ``PRICING_MODEL``; any other filter type is a ValidationException, so a test cannot believe a
  filter works that the sandbox ignores.
* Pages: ``nextToken`` is an opaque base64 offset bound to the query; a token from another
  query is ``INVALID_PAGINATION_TOKEN``. Results beyond the 1,000th are
  ``PAGINATION_LIMIT_EXCEEDED``.
* Any account may call (Discovery reads the public catalog); AccessDenied is a fault setting.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from typing import Any

from pmp_reconcile.sandbox.discovery_errors import (
    INVALID_PAGINATION_TOKEN,
    PAGINATION_LIMIT_EXCEEDED,
    DiscoveryValidationException,
)
from pmp_reconcile.sandbox.discovery_seed import (
    FULFILLMENT_NAMES,
    PRICING_NAMES,
    PRODUCT_ID,
    SeedProduct,
    listings_of,
    read_products,
)
from pmp_reconcile.sandbox.errors import ResourceNotFoundException

DISCOVERY_OPERATIONS = frozenset({"GetProduct", "SearchListings"})
CATALOG = "AWSMarketplace"
DEFAULT_PAGE = 25
MAX_PAGE = 100
DEEPEST_RESULT = 1000
LOGO = "https://d7umqicpi7263.cloudfront.net/img/product/{}.png"
Listing = list[SeedProduct]


def _seller(profile_id: str, name: str) -> dict[str, str]:
    return {"sellerProfileId": profile_id, "displayName": name}


def _fulfillment(product: SeedProduct) -> list[dict[str, str]]:
    return [
        {"fulfillmentOptionType": kind, "displayName": FULFILLMENT_NAMES[kind]}
        for kind in product.fulfillment
    ]


def _categories(product: SeedProduct) -> list[dict[str, str]]:
    return [{"categoryId": _category_id(c), "displayName": c} for c in product.categories]


def _category_id(name: str) -> str:
    return "-".join(name.lower().split())


def product_details(product: SeedProduct) -> dict[str, Any]:
    """GetProduct's output for one product (every required member present)."""
    return {
        "productId": product.id,
        "catalog": CATALOG,
        "productName": product.name,
        "manufacturer": _seller(product.publisher_id, product.publisher),
        "deployedOnAws": "DEPLOYED" if "SAAS" in product.fulfillment else "NOT_APPLICABLE",
        "shortDescription": product.description,
        "longDescription": product.description,
        "logoThumbnailUrl": LOGO.format(product.id),
        "fulfillmentOptionSummaries": _fulfillment(product),
        "categories": _categories(product),
        "highlights": [],
        "promotionalMedia": [],
        "resources": [],
        "sellerEngagements": [],
        "listingId": product.listing_id,
        "purchaseIndicators": [{"indicatorType": kind} for kind in product.indicators],
    }


def listing_summary(products: Listing) -> dict[str, Any]:
    """SearchListings' summary of one listing and the products it carries."""
    first = products[0]
    kinds = list(dict.fromkeys(k for p in products for k in p.fulfillment))
    pricing = list(dict.fromkeys(k for p in products for k in p.pricing))
    return {
        "listingId": first.listing_id,
        "listingName": first.listing_name,
        "publisher": _seller(first.publisher_id, first.publisher),
        "fulfillmentOptionSummaries": [
            {"fulfillmentOptionType": k, "displayName": FULFILLMENT_NAMES[k]} for k in kinds
        ],
        "catalog": CATALOG,
        "shortDescription": first.description,
        "logoThumbnailUrl": LOGO.format(first.id),
        "categories": _categories(first),
        "badges": _badges(products),
        "reviewSummary": {"reviewSourceSummaries": []},
        "pricingModels": [
            {"pricingModelType": k, "displayName": PRICING_NAMES[k]} for k in pricing
        ],
        "pricingUnits": [],
        "associatedEntities": [{"product": _product_information(p)} for p in products],
    }


def _badges(products: Listing) -> list[dict[str, str]]:
    if len(products) > 1:
        return [{"displayName": "Multi-product solution", "badgeType": "MULTI_PRODUCT"}]
    return []


def _product_information(product: SeedProduct) -> dict[str, Any]:
    return {
        "productId": product.id,
        "productName": product.name,
        "manufacturer": _seller(product.publisher_id, product.publisher),
    }


def _haystack(products: Listing) -> str:
    first = products[0]
    parts = [first.listing_name, first.publisher, first.description, *first.categories]
    parts += [text for p in products for text in (p.name, p.id)]
    return " ".join(parts).lower()


_FILTERS: dict[str, Callable[[SeedProduct], list[str]]] = {
    "PRODUCT_ID": lambda p: [p.id],
    "PUBLISHER": lambda p: [p.publisher_id],
    "FULFILLMENT_OPTION_TYPE": lambda p: list(p.fulfillment),
    "PRICING_MODEL": lambda p: list(p.pricing),
}


class ProductCatalog:
    """The public catalog behind the Discovery API, one seeded product list."""

    def __init__(self, products: list[SeedProduct] | None = None) -> None:
        self.products: dict[str, SeedProduct] = {p.id: p for p in products or []}

    def dispatch(self, operation: str, params: dict[str, Any], _caller: str) -> dict[str, Any]:
        """Run one Discovery operation."""
        if operation == "GetProduct":
            return self.get_product(params)
        return self.search_listings(params)

    def seed(self, items: Any) -> None:
        """Add the products of a seed's ``products`` list (``ValueError`` if one is bad)."""
        for product in read_products(items):
            self.products[product.id] = product

    def to_document(self) -> list[dict[str, Any]]:
        return [p.to_seed() for p in self.products.values()]

    def get_product(self, params: dict[str, Any]) -> dict[str, Any]:
        product_id = params.get("productId")
        if not isinstance(product_id, str) or not PRODUCT_ID.match(product_id):
            raise DiscoveryValidationException("productId must match [\\w\\-]+ (1-255 characters)")
        product = self.products.get(product_id)
        if product is None:
            raise ResourceNotFoundException(f"Product {product_id} was not found")
        return product_details(product)

    def search_listings(self, params: dict[str, Any]) -> dict[str, Any]:
        found = self._matching(params)
        size = _page_size(params)
        start = _start(params, _query_key(params))
        if start >= DEEPEST_RESULT:
            raise DiscoveryValidationException(
                f"Results beyond the first {DEEPEST_RESULT} are not returned; narrow the search",
                PAGINATION_LIMIT_EXCEEDED,
            )
        page = found[start : start + size]
        output: dict[str, Any] = {
            "totalResults": len(found),
            "listingSummaries": [listing_summary(listing) for listing in page],
        }
        if start + size < len(found):
            output["nextToken"] = _token(start + size, _query_key(params))
        return output

    def _matching(self, params: dict[str, Any]) -> list[Listing]:
        words = str(params.get("searchText") or "").lower().split()
        chosen = _filters(params.get("filters"))
        listings = listings_of(list(self.products.values())).values()
        found = [
            listing
            for listing in listings
            if all(w in _haystack(listing) for w in words) and _passes(listing, chosen)
        ]
        return sorted(found, key=lambda listing: _rank(listing, words))


def _rank(listing: Listing, words: list[str]) -> tuple[int, str]:
    name = listing[0].listing_name.lower()
    return (0 if all(w in name for w in words) else 1, name)


def _filters(value: Any) -> dict[str, set[str]]:
    chosen: dict[str, set[str]] = {}
    for item in value or []:
        kind = item.get("filterType")
        if kind not in _FILTERS:
            raise DiscoveryValidationException(f"The sandbox does not emulate the {kind} filter")
        chosen.setdefault(kind, set()).update(item.get("filterValues") or [])
    return chosen


def _passes(listing: Listing, chosen: dict[str, set[str]]) -> bool:
    return all(
        any(value in wanted for product in listing for value in _FILTERS[kind](product))
        for kind, wanted in chosen.items()
    )


def _page_size(params: dict[str, Any]) -> int:
    size = params.get("maxResults", DEFAULT_PAGE)
    if not isinstance(size, int) or not 1 <= size <= MAX_PAGE:
        raise DiscoveryValidationException(f"maxResults must be between 1 and {MAX_PAGE}")
    return size


def _query_key(params: dict[str, Any]) -> str:
    """What a token is bound to: the query without its paging members."""
    query = {k: v for k, v in params.items() if k not in ("nextToken", "maxResults")}
    text = json.dumps(query, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _token(offset: int, key: str) -> str:
    return base64.b64encode(f"{key}:{offset}".encode()).decode("ascii")


def _start(params: dict[str, Any], key: str) -> int:
    token = params.get("nextToken")
    if not token:
        return 0
    try:
        found_key, offset = base64.b64decode(token, validate=True).decode().split(":")
        if found_key == key and int(offset) >= 0:
            return int(offset)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise DiscoveryValidationException(
        "nextToken is malformed or belongs to another request", INVALID_PAGINATION_TOKEN
    )
