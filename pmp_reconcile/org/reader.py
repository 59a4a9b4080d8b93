"""Read the organization tree through boto3: ancestries via ListParents, or the whole tree.

A few accounts are walked upward (ListParents, cached: siblings share their parents' calls);
many are served by one top-down read (ListRoots, then ListOrganizationalUnitsForParent and
ListAccountsForParent per container), which costs calls per container instead of per account.
Every page is one call paced by a shared token bucket and retried on throttling.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType
from typing import Any

from pmp_reconcile.catalog.client import ConnectionOptions, Transport, aws_call, make_client
from pmp_reconcile.catalog.rate import RateLimiter
from pmp_reconcile.catalog.retry import RetryPolicy
from pmp_reconcile.errors import AwsError, AwsNotFound, UsageError
from pmp_reconcile.model import NodeKind
from pmp_reconcile.org.identity import ORGANIZATIONS_SERVICE
from pmp_reconcile.org.ids import require
from pmp_reconcile.org.tree import OrgTree

# AWS documents no per-operation request rates for Organizations, only that it throttles
# (TooManyRequestsException, "Quotas for AWS Organizations"). One conservative bucket for all
# calls keeps a walk well below what the service tolerates; throttling is still retried.
ORGANIZATIONS_RATE = 4.0
_BUCKET = "Organizations"
# Above this many nodes a top-down read is cheaper than walking each one upward.
WHOLE_TREE_THRESHOLD = 20
_METHODS = {
    "ListRoots": "list_roots",
    "ListParents": "list_parents",
    "ListOrganizationalUnitsForParent": "list_organizational_units_for_parent",
    "ListAccountsForParent": "list_accounts_for_parent",
}
_NOT_FOUND = (
    "AccountNotFoundException",
    "ChildNotFoundException",
    "ParentNotFoundException",
    "OrganizationalUnitNotFoundException",
)


def organizations_client(options: ConnectionOptions, transport: Transport | None = None) -> Any:
    """Organizations is global (us-east-1); AWS_ENDPOINT_URL_ORGANIZATIONS redirects it."""
    global_options = ConnectionOptions(profile=options.profile, credentials=options.credentials)
    return make_client(ORGANIZATIONS_SERVICE, global_options, transport)


@dataclass
class OrganizationsReader:
    """Reads the tree; one instance caches every parent it has seen."""

    client: Any
    limiter: RateLimiter = field(
        default_factory=lambda: RateLimiter(rates={_BUCKET: ORGANIZATIONS_RATE})
    )
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    _parents: dict[str, str] = field(default_factory=dict, init=False)
    _names: dict[str, str] = field(default_factory=dict, init=False)
    _organization: tuple[str, str] | None = field(default=None, init=False)

    def organization(self) -> tuple[str, str]:
        """The organization id and its root id (DescribeOrganization, ListRoots)."""
        if self._organization is None:
            described = self._call("DescribeOrganization", self.client.describe_organization)
            roots = list(self._pages("ListRoots", "Roots", {}))
            if not roots:
                raise UsageError("the organization has no root visible to these credentials")
            self._organization = (str(described["Organization"]["Id"]), str(roots[0]["Id"]))
        return self._organization

    def tree_for(self, node_ids: Iterable[str]) -> OrgTree:
        """A tree holding at least ``node_ids``: their ancestries, or the whole tree if many."""
        wanted = sorted(set(node_ids))
        for node_id in wanted:
            require(node_id, NodeKind.ACCOUNT, NodeKind.OU)
        if len(wanted) > WHOLE_TREE_THRESHOLD:
            return self.whole_tree()
        for node_id in wanted:
            self.ancestry(node_id)
        return self._tree(self._parents)

    def ancestry(self, node_id: str) -> tuple[str, ...]:
        """The node and its parents up to the root (ListParents, cached)."""
        _, root = self.organization()
        chain = [node_id]
        while chain[-1] != root:
            chain.append(self.parent_of(chain[-1]))
        return tuple(chain)

    def parent_of(self, child_id: str) -> str:
        if child_id not in self._parents:
            pages = self._pages("ListParents", "Parents", {"ChildId": child_id})
            parents = [str(p["Id"]) for p in pages]
            if not parents:
                raise UsageError(f"{child_id} has no parent in the organization")
            self._parents[child_id] = parents[0]  # a child has exactly one parent
        return self._parents[child_id]

    def whole_tree(self) -> OrgTree:
        """Every OU and account, read top-down from the root."""
        _, root = self.organization()
        parents: dict[str, str] = {}
        pending = [root]
        while pending:
            parent = pending.pop()
            for ou in self._pages(
                "ListOrganizationalUnitsForParent", "OrganizationalUnits", {"ParentId": parent}
            ):
                parents[str(ou["Id"])] = parent
                pending.append(str(ou["Id"]))
                self._names[str(ou["Id"])] = str(ou.get("Name") or "")
            for account in self._pages("ListAccountsForParent", "Accounts", {"ParentId": parent}):
                parents[str(account["Id"])] = parent
                self._names[str(account["Id"])] = str(account.get("Name") or "")
        self._parents.update(parents)
        return self._tree(parents)

    def _tree(self, parents: Mapping[str, str]) -> OrgTree:
        organization, root = self.organization()
        names = {k: v for k, v in self._names.items() if v and k in parents}
        return OrgTree(organization, root, MappingProxyType(dict(parents)), MappingProxyType(names))

    def _pages(self, operation: str, key: str, request: dict[str, Any]) -> Iterator[Any]:
        """Each page is a paced call; an empty page with a NextToken is not the end."""
        method = getattr(self.client, _METHODS[operation])
        token: str | None = None
        while True:
            arguments = {**request, **({"NextToken": token} if token else {})}
            page = self._call(operation, partial(method, **arguments))
            yield from page.get(key, ())
            token = page.get("NextToken")
            if not token:
                return

    def _call(self, operation: str, call: Any) -> Any:
        def once() -> Any:
            self.limiter.acquire(_BUCKET)
            with aws_call(operation):
                return call()

        try:
            return self.retry.run(once)
        except AwsError as error:
            if isinstance(error, AwsNotFound) or error.aws_code in _NOT_FOUND:
                raise _not_found(error) from error
            raise


def _not_found(error: Exception) -> UsageError:
    return UsageError(
        f"{error}", hint="check the account or OU id; it must belong to the caller's organization"
    )
