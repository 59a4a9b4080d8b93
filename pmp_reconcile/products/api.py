"""The narrow Discovery API the reconciler uses: GetProduct and SearchListings.

Calls are paced at the documented rates and retried on throttling and faults; botocore
errors leave as our own (``catalog.client.aws_call``). A product Discovery does not know is
``None``, not an error: an unknown id is a finding for the plan, not a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pmp_reconcile.catalog.api import CallCounter
from pmp_reconcile.catalog.client import aws_call
from pmp_reconcile.catalog.retry import RetryPolicy
from pmp_reconcile.errors import AwsNotFound
from pmp_reconcile.products.pace import Pacer

DISCOVERY_SERVICE = "marketplace-discovery"
SEARCH_PAGE_SIZE = 100  # the API's maximum: the fewest calls for a search


@dataclass
class DiscoveryApi:
    """A marketplace-discovery boto3 client behind pacing, retries and error translation."""

    client: Any
    pacer: Pacer = field(default_factory=Pacer)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    calls: CallCounter = field(default_factory=CallCounter)

    def _call(self, operation: str, method: str, **params: Any) -> dict[str, Any]:
        return self.retry.run(lambda: self._once(operation, method, params))

    def _once(self, operation: str, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self.pacer.wait(operation)
        self.calls.add(operation)
        with aws_call(operation):
            response: dict[str, Any] = getattr(self.client, method)(**params)
        return response

    def get_product(self, product_id: str) -> dict[str, Any] | None:
        """GetProduct's output, or None when Discovery does not know the id."""
        try:
            return self._call("GetProduct", "get_product", productId=product_id)
        except AwsNotFound:
            return None

    def search_listings(self, text: str, limit: int) -> Iterator[dict[str, Any]]:
        """Listing summaries matching ``text``, at most ``limit``, page by page."""
        params: dict[str, Any] = {"searchText": text}
        remaining = limit
        while remaining > 0:
            params["maxResults"] = min(SEARCH_PAGE_SIZE, remaining)
            page = self._call("SearchListings", "search_listings", **params)
            listings = page.get("listingSummaries", [])[:remaining]
            yield from listings
            remaining -= len(listings)
            token = page.get("nextToken")
            if not token or not listings:
                return
            params["nextToken"] = token
