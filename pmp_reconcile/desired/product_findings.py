"""The findings about one product reference, wherever it is written (an experience's list or
a set in a products file), so both say the same thing."""

from __future__ import annotations

from collections.abc import Mapping

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.products import odd_shape_hint, unknown_hint
from pmp_reconcile.errors import Finding, Location, Severity


def odd_id(product: str, aliases: Mapping[str, str], where: Location) -> Finding:
    """D043: an id the Catalog API takes, of no documented shape."""
    return Finding(
        codes.ODD_PRODUCT_ID,
        f"'{product}' has no documented product id shape; it is taken as a product id",
        where,
        hint=odd_shape_hint(product, aliases),
        severity=Severity.WARNING,
    )


def unknown_product(reference: str, aliases: Mapping[str, str], where: Location) -> Finding:
    """D023: neither an alias nor anything the Catalog API takes as an id."""
    message = f"'{reference}' is neither a product id nor an alias in products.yaml"
    return Finding(codes.UNKNOWN_PRODUCT, message, where, hint=unknown_hint(reference, aliases))
