"""Facts for the product ids a command needs: from the cache, else one GetProduct each.

Ids are looked up once each, in sorted order (so runs are repeatable), and only when the cache
has no fresh entry or ``refresh`` asks to ignore it. Without permission to call Discovery
(AccessDenied) the lookup stops at the first refusal and says so once: names and checks are
then unavailable, and the command goes on. Any other failure is an error like any AWS error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pmp_reconcile.errors import AwsAccessDenied
from pmp_reconcile.model import ProductFacts, ProductInfo
from pmp_reconcile.products.api import DiscoveryApi
from pmp_reconcile.products.cache import ProductCache
from pmp_reconcile.products.parse import product_info

NO_PERMISSION = (
    "product names and checks are unavailable: the role may not call the Discovery API "
    "(aws-marketplace:GetProduct)"
)


@dataclass
class _Found:
    products: dict[str, ProductInfo] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)

    def add(self, product_id: str, info: ProductInfo | None) -> None:
        if info is None:
            self.unknown.add(product_id)
        else:
            self.products[product_id] = info


@dataclass
class ProductDirectory:
    """Looks products up; the client is made only when the cache cannot answer."""

    connect: Callable[[], DiscoveryApi]
    cache: ProductCache | None = None
    refresh: bool = False
    _api: DiscoveryApi | None = field(default=None, init=False)

    @property
    def api(self) -> DiscoveryApi:
        if self._api is None:
            self._api = self.connect()
        return self._api

    def facts(self, product_ids: Iterable[str]) -> ProductFacts:
        """What Discovery says of each distinct id (cached answers first)."""
        found = _Found()
        missing = [i for i in sorted(set(product_ids)) if not self._cached(i, found)]
        unavailable = None
        try:
            for product_id in missing:
                found.add(product_id, self._read(product_id))
        except AwsAccessDenied:
            unavailable = NO_PERMISSION
        finally:
            if self.cache is not None:
                self.cache.save()
        return ProductFacts(
            products=found.products, unknown=frozenset(found.unknown), unavailable=unavailable
        )

    def cached(self, product_ids: Iterable[str]) -> ProductFacts:
        """What the cache knows of the ids, without a single call (ids it lacks are left out)."""
        found = _Found()
        for product_id in sorted(set(product_ids)):
            self._cached(product_id, found)
        return ProductFacts(products=found.products, unknown=frozenset(found.unknown))

    def _cached(self, product_id: str, found: _Found) -> bool:
        if self.refresh or self.cache is None:
            return False
        entry = self.cache.get(product_id)
        if entry is None:
            return False
        found.add(product_id, entry.info)
        return True

    def _read(self, product_id: str) -> ProductInfo | None:
        output = self.api.get_product(product_id)
        info = product_info(output) if output is not None else None
        if self.cache is not None:
            self.cache.put(product_id, info)
        return info
