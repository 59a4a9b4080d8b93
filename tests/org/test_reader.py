"""The Organizations reader on moto: ancestries, the whole tree, caching, pacing, bad ids."""

from __future__ import annotations

import random
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto_org import Org

from pmp_reconcile.catalog.rate import RateLimiter
from pmp_reconcile.catalog.retry import RetryPolicy
from pmp_reconcile.errors import UsageError
from pmp_reconcile.org.reader import ORGANIZATIONS_RATE, OrganizationsReader
from pmp_reconcile.org.tree import tree_from_document


def counting_client() -> tuple[Any, list[str]]:
    """A real boto3 client that records each operation it sends (botocore's event hook)."""
    client = boto3.client("organizations", region_name="us-east-1")
    calls: list[str] = []
    client.meta.events.register(
        "before-call.organizations.*", lambda model, **_: calls.append(model.name)
    )
    return client, calls


def test_ancestry_walks_five_levels_to_the_root(org: Org) -> None:
    reader = OrganizationsReader(boto3.client("organizations", region_name="us-east-1"))
    chain = reader.ancestry(org.accounts["deep"])
    assert chain == (org.accounts["deep"], *reversed(org.ous), org.root_id)


def test_parents_are_cached_across_siblings(org: Org) -> None:
    client, calls = counting_client()
    reader = OrganizationsReader(client)
    tree = reader.tree_for([org.accounts["deep"], org.accounts["deep2"]])
    assert calls.count("ListParents") == 6 + 1  # deep: six hops to the root; deep2: one
    assert tree.ancestry(org.accounts["deep2"])[-2:] == (org.root_id, org.organization_id)


def test_many_nodes_read_the_whole_tree_top_down(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pmp_reconcile.org.reader.WHOLE_TREE_THRESHOLD", 2)
    client, calls = counting_client()
    tree = OrganizationsReader(client).tree_for(list(org.accounts.values()))
    assert "ListParents" not in calls
    assert calls.count("ListAccountsForParent") == len(org.ous) + 2  # every OU and the root
    everyone = {*org.accounts.values(), *org.ous, org.side_ou, org.management}
    assert set(tree.members()) == everyone
    assert tree.ancestry(org.accounts["three"]) == (
        org.accounts["three"],
        org.ous[2],
        org.ous[1],
        org.ous[0],
        org.root_id,
        org.organization_id,
    )


def test_pages_are_paced_by_the_token_bucket(org: Org) -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(
        rates={"Organizations": ORGANIZATIONS_RATE}, clock=lambda: now[0], sleep=sleep
    )
    reader = OrganizationsReader(boto3.client("organizations", region_name="us-east-1"), limiter)
    reader.whole_tree()
    assert slept, "a burst beyond the bucket must wait"
    assert now[0] >= 2.0  # at least 17 calls at 4/s after a burst of 4


def test_bad_and_unknown_ids_are_usage_errors(org: Org) -> None:
    reader = OrganizationsReader(
        boto3.client("organizations", region_name="us-east-1"), retry=RetryPolicy(attempts=1)
    )
    with pytest.raises(UsageError, match="not an account or ou id") as bad:
        reader.tree_for(["12345"])
    assert "12 digits" in (bad.value.hint or "")
    with pytest.raises(UsageError) as unknown:
        reader.tree_for(["999999999999"])
    assert "organization" in (unknown.value.hint or "")


def test_tree_documents_round_trip(org: Org) -> None:
    tree = OrganizationsReader(boto3.client("organizations", region_name="us-east-1")).whole_tree()
    assert tree_from_document(tree.to_document()) == tree


def test_throttling_is_retried_then_succeeds() -> None:
    """botocore's own Stubber answers: two throttles, then the page."""
    client = boto3.client(
        "organizations",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    slept: list[float] = []
    with Stubber(client) as stub:
        for _ in range(2):
            stub.add_client_error("list_parents", "TooManyRequestsException", http_status_code=400)
        stub.add_response(
            "list_parents",
            {"Parents": [{"Id": "r-ab12", "Type": "ROOT"}]},
            {"ChildId": "111111111111"},
        )
        reader = OrganizationsReader(
            client, RateLimiter(rates={}), RetryPolicy(sleep=slept.append, rng=random.Random(0))
        )
        assert reader.parent_of("111111111111") == "r-ab12"
    assert len(slept) == 2
