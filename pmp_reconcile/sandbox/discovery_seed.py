"""The products of the sandbox's AWS Marketplace: what the Discovery API reads.

A seed lists products as short mappings (keys below); :class:`SeedProduct` checks one and
:func:`listings_of` groups them into listings (products sharing a ``listing_id`` are one
listing, as a multi-product listing is on AWS). Keys, all optional but ``id`` and ``name``::

    id, name, publisher, publisher_id, listing_id, listing_name, description,
    availability (available | not_available_for_subscription | available_without_subscription),
    fulfillment: [SAAS, AMAZON_MACHINE_IMAGE, …], pricing: [USAGE, CONTRACT, BYOL, FREE],
    categories: [text]
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

PRODUCT_ID = re.compile(r"^[\w-]{1,255}$")
AVAILABILITY = {
    "available": (),
    "not_available_for_subscription": ("NOT_AVAILABLE_FOR_SUBSCRIPTION",),
    "available_without_subscription": ("AVAILABLE_FOR_USE_WITHOUT_SUBSCRIPTION",),
}
FULFILLMENT_NAMES = {
    "AMAZON_MACHINE_IMAGE": "Amazon Machine Image",
    "API": "API",
    "CLOUDFORMATION_TEMPLATE": "CloudFormation Template",
    "CONTAINER": "Container Image",
    "HELM": "Helm Chart",
    "EKS_ADD_ON": "EKS Add-On",
    "EC2_IMAGE_BUILDER_COMPONENT": "EC2 Image Builder Component",
    "DATA_EXCHANGE": "Data Exchange",
    "PROFESSIONAL_SERVICES": "Professional Services",
    "SAAS": "SaaS",
    "SAGEMAKER_ALGORITHM": "SageMaker Algorithm",
    "SAGEMAKER_MODEL": "SageMaker Model",
}
PRICING_NAMES = {"USAGE": "Usage-based", "CONTRACT": "Contract", "BYOL": "BYOL", "FREE": "Free"}
PRODUCT_KEYS = {
    "id",
    "name",
    "publisher",
    "publisher_id",
    "listing_id",
    "listing_name",
    "description",
    "availability",
    "fulfillment",
    "pricing",
    "categories",
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


@dataclass(frozen=True)
class SeedProduct:
    """One product as the sandbox keeps it (the seed's keys, defaults filled in)."""

    id: str
    name: str
    publisher: str = "Example Seller"
    publisher_id: str = ""
    listing_id: str = ""
    listing_name: str = ""
    description: str = ""
    availability: str = "available"
    fulfillment: list[str] = field(default_factory=lambda: ["SAAS"])
    pricing: list[str] = field(default_factory=lambda: ["USAGE"])
    categories: list[str] = field(default_factory=list)

    @classmethod
    def from_seed(cls, item: Any, where: str) -> SeedProduct:
        """A product from its seed mapping; ``ValueError`` naming ``where`` otherwise."""
        if not isinstance(item, dict):
            raise ValueError(f"{where} must be a mapping")
        unknown = sorted(set(item) - PRODUCT_KEYS)
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}")
        missing = sorted({"id", "name"} - set(item))
        if missing:
            raise ValueError(f"{where}.{missing[0]} is required")
        product = cls(**item)
        product.check(where)
        return product.filled()

    def check(self, where: str) -> None:
        if not isinstance(self.id, str) or not PRODUCT_ID.match(self.id):
            raise ValueError(f"{where}.id must match [\\w-]+ (1-255 characters)")
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"{where}.name must be a non-empty string")
        if self.availability not in AVAILABILITY:
            raise ValueError(f"{where}.availability must be one of {', '.join(AVAILABILITY)}")
        _check_members(self.fulfillment, FULFILLMENT_NAMES, f"{where}.fulfillment")
        _check_members(self.pricing, PRICING_NAMES, f"{where}.pricing")

    def filled(self) -> SeedProduct:
        """Derived defaults: a seller profile id, a listing of its own, a description."""
        values = asdict(self)
        values["publisher_id"] = self.publisher_id or f"seller-{_slug(self.publisher)}"
        values["listing_id"] = self.listing_id or f"prodview-{_slug(self.id)}"
        values["listing_name"] = self.listing_name or self.name
        values["description"] = self.description or f"{self.name} by {self.publisher}."
        return SeedProduct(**values)

    def to_seed(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def indicators(self) -> tuple[str, ...]:
        return AVAILABILITY[self.availability]


def _check_members(values: Any, allowed: dict[str, str], where: str) -> None:
    if not isinstance(values, list) or not all(v in allowed for v in values):
        raise ValueError(f"{where} must be a list of {', '.join(allowed)}")


def read_products(items: Any, where: str = "products") -> list[SeedProduct]:
    """The products of a seed's ``products`` list; ids must be unique."""
    if not isinstance(items, list):
        raise ValueError(f"{where} must be a list")
    products = [SeedProduct.from_seed(item, f"{where}[{i}]") for i, item in enumerate(items)]
    seen: set[str] = set()
    for index, product in enumerate(products):
        if product.id in seen:
            raise ValueError(f"{where}[{index}]: product id {product.id} is listed twice")
        seen.add(product.id)
    return products


def listings_of(products: list[SeedProduct]) -> dict[str, list[SeedProduct]]:
    """Listing id → its products, in seed order."""
    listings: dict[str, list[SeedProduct]] = {}
    for product in products:
        listings.setdefault(product.listing_id, []).append(product)
    return listings
