"""``products search`` and ``products show``, and the product facts a plan shows and checks.

A :class:`Discovery` says where facts come from (a way to connect, and the source the cache
keys them by) and whether the cache may answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pmp_reconcile.catalog.client import ConnectionOptions, Transport, make_client
from pmp_reconcile.desired.loader import load_aliases
from pmp_reconcile.desired.products import resolve, unknown_hint
from pmp_reconcile.errors import AwsAccessDenied, InputError
from pmp_reconcile.model import ProductFacts

if TYPE_CHECKING:  # Discovery's modules load when facts are asked for (not with checks off)
    from pmp_reconcile.products.api import DiscoveryApi
    from pmp_reconcile.products.lookup import ProductDirectory
    from pmp_reconcile.products.parse import SearchHit, Shown

PERMISSION_HINT = "the role needs aws-marketplace:GetProduct (see `pmp-reconcile iam-policy`)"


def connect_discovery(
    options: ConnectionOptions, transport: Transport | None = None
) -> DiscoveryApi:
    """A paced Discovery API (the standard AWS environment applies, as for the Catalog API)."""
    from pmp_reconcile.products.api import DISCOVERY_SERVICE, DiscoveryApi

    return DiscoveryApi(client=make_client(DISCOVERY_SERVICE, options, transport))


@dataclass(frozen=True)
class Discovery:
    """Where product facts come from; ``cache_dir`` None keeps nothing on disk."""

    connect: Callable[[], DiscoveryApi]
    source: str
    cache_dir: Path | None = None
    refresh: bool = False

    def directory(self) -> ProductDirectory:
        from pmp_reconcile.products.cache import CACHE_FILE, ProductCache
        from pmp_reconcile.products.lookup import ProductDirectory

        cache = None
        if self.cache_dir is not None:
            cache = ProductCache(self.cache_dir / CACHE_FILE, self.source)
        return ProductDirectory(self.connect, cache, refresh=self.refresh)

    def facts(self, product_ids: Iterable[str]) -> ProductFacts:
        return self.directory().facts(product_ids)

    def cached(self, product_ids: Iterable[str]) -> ProductFacts:
        """Only what earlier lookups kept: for commands that otherwise call no AWS."""
        return self.directory().cached(product_ids)


def search(discovery: Discovery, text: str, max_listings: int) -> list[SearchHit]:
    """The products of the listings matching ``text`` (never cached: a search is fresh)."""
    from pmp_reconcile.products.search import search_products

    return search_products(discovery.connect(), text, max_listings)


def show(discovery: Discovery, references: Sequence[str], directory: Path) -> list[Shown]:
    """Name, publisher and availability of each id or alias (aliases from ``directory``)."""
    from pmp_reconcile.products.lookup import NO_PERMISSION
    from pmp_reconcile.products.parse import Shown

    aliases = _aliases(directory)
    ids = [_product_id(reference, aliases) for reference in references]
    facts = discovery.facts(ids)
    if facts.unavailable is not None:
        raise AwsAccessDenied(NO_PERMISSION, operation="GetProduct", hint=PERMISSION_HINT)
    alias_of = {product: alias for alias, product in aliases.items()}
    return [Shown(i, alias_of.get(i), facts.products.get(i)) for i in dict.fromkeys(ids)]


def _aliases(directory: Path) -> dict[str, str]:
    if not directory.is_dir():
        return {}
    return load_aliases(directory)


def _product_id(reference: str, aliases: dict[str, str]) -> str:
    product = resolve(reference, aliases)
    if product is None:
        raise InputError(
            f"'{reference}' is neither a product id nor an alias in products.yaml",
            hint=unknown_hint(reference, aliases),
        )
    return product
