"""The narrow Catalog API the reconciler uses: six operations, rate-limited, errors translated.

Everything above this module sees plain dicts shaped like the API's and our own errors, never
botocore. Page sizes are the API maxima, so reads take the fewest calls.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pmp_reconcile.catalog.client import aws_call
from pmp_reconcile.catalog.rate import RateLimiter
from pmp_reconcile.catalog.retry import RetryPolicy
from pmp_reconcile.catalog.vocabulary import CATALOG

LIST_PAGE_SIZE = 50
BATCH_DESCRIBE_SIZE = 20
CHANGE_SET_PAGE_SIZE = 20
OPEN_STATUSES = ("PREPARING", "APPLYING")


@dataclass
class CallCounter:
    """How many calls of each operation were made (benchmarks compare with the minimum)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, operation: str) -> None:
        self.counts[operation] = self.counts.get(operation, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class CatalogApi:
    """A marketplace-catalog boto3 client behind rate limits and error translation."""

    client: Any
    limiter: RateLimiter = field(default_factory=RateLimiter)
    shared_scope: bool = False
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    calls: CallCounter = field(default_factory=CallCounter)

    def _call(self, operation: str, method: str, **params: Any) -> dict[str, Any]:
        return self.retry.run(lambda: self._once(operation, method, params))

    def _once(self, operation: str, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self.limiter.acquire(operation)
        self.calls.add(operation)
        with aws_call(operation):
            response: dict[str, Any] = getattr(self.client, method)(**params)
        return response

    def list_entities(self, entity_type: str) -> Iterator[dict[str, Any]]:
        """Every summary of one entity type, page by page (``Scope=SharedWithMe`` if asked)."""
        params: dict[str, Any] = {
            "Catalog": CATALOG,
            "EntityType": entity_type,
            "MaxResults": LIST_PAGE_SIZE,
        }
        if self.shared_scope:
            params["FilterList"] = [{"Name": "Scope", "ValueList": ["SharedWithMe"]}]
        while True:
            page = self._call("ListEntities", "list_entities", **params)
            yield from page.get("EntitySummaryList", [])
            token = page.get("NextToken")
            if not token:
                return
            params["NextToken"] = token

    def batch_describe(
        self, entity_ids: Sequence[str]
    ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        """Details and per-id errors of up to 20 entities in one call."""
        requests = [{"Catalog": CATALOG, "EntityId": i} for i in entity_ids]
        response = self._call(
            "BatchDescribeEntities", "batch_describe_entities", EntityRequestList=requests
        )
        return response.get("EntityDetails", {}), response.get("Errors", {})

    def describe_entity(self, entity_id: str) -> dict[str, Any]:
        return self._call("DescribeEntity", "describe_entity", Catalog=CATALOG, EntityId=entity_id)

    def start_change_set(
        self,
        changes: Sequence[dict[str, Any]],
        name: str,
        token: str,
        tags: Sequence[dict[str, str]] = (),
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "Catalog": CATALOG,
            "ChangeSet": list(changes),
            "ChangeSetName": name,
            "ClientRequestToken": token,
        }
        if tags:
            params["ChangeSetTags"] = list(tags)
        return self._call("StartChangeSet", "start_change_set", **params)

    def describe_change_set(self, change_set_id: str) -> dict[str, Any]:
        return self._call(
            "DescribeChangeSet", "describe_change_set", Catalog=CATALOG, ChangeSetId=change_set_id
        )

    def succeeded_on(self, entity_id: str) -> list[dict[str, Any]]:
        """The latest change sets that succeeded on one entity, newest first (one page: the
        API keeps 60 days of them)."""
        filters = [
            {"Name": "EntityId", "ValueList": [entity_id]},
            {"Name": "Status", "ValueList": ["SUCCEEDED"]},
        ]
        if self.shared_scope:
            filters.append({"Name": "Scope", "ValueList": ["SharedWithMe"]})
        page = self._call(
            "ListChangeSets",
            "list_change_sets",
            Catalog=CATALOG,
            FilterList=filters,
            Sort={"SortBy": "EndTime", "SortOrder": "DESCENDING"},
            MaxResults=CHANGE_SET_PAGE_SIZE,
        )
        return list(page.get("ChangeSetSummaryList", []))

    def open_change_sets(self) -> Iterator[dict[str, Any]]:
        """Summaries of change sets still PREPARING or APPLYING."""
        params: dict[str, Any] = {
            "Catalog": CATALOG,
            "FilterList": [{"Name": "Status", "ValueList": list(OPEN_STATUSES)}],
            "MaxResults": CHANGE_SET_PAGE_SIZE,
        }
        if self.shared_scope:
            params["FilterList"].append({"Name": "Scope", "ValueList": ["SharedWithMe"]})
        while True:
            page = self._call("ListChangeSets", "list_change_sets", **params)
            yield from page.get("ChangeSetSummaryList", [])
            token = page.get("NextToken")
            if not token:
                return
            params["NextToken"] = token
