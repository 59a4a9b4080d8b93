"""Request-level faults (throttling, injected 5xx, latency) as a boto3 client meets them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from pmp_reconcile.sandbox import FakeClock, FaultSettings, SandboxSettings
from pmp_reconcile.sandbox.faults import FaultInjector, TokenBucket

if TYPE_CHECKING:
    from tests.sandbox.conftest import Catalog, MakeCatalog

LIST = {"Catalog": "AWSMarketplace", "EntityType": "Experience"}


def _faulty(**faults: object) -> SandboxSettings:
    return SandboxSettings(faults=FaultSettings(**faults))  # type: ignore[arg-type]


def _list(catalog: Catalog) -> None:
    catalog.client.list_entities(**LIST)  # type: ignore[arg-type]


def _outcomes(catalog: Catalog, calls: int) -> list[str]:
    results = []
    for _ in range(calls):
        try:
            _list(catalog)
            results.append("ok")
        except ClientError as error:
            results.append(error.response["Error"]["Code"])
    return results


def test_buckets_are_off_by_default(catalog: Catalog) -> None:
    assert _outcomes(catalog, 30) == ["ok"] * 30


def test_a_drained_bucket_throttles_until_the_clock_refills_it(
    make_catalog: MakeCatalog, error_of: Any
) -> None:
    catalog = make_catalog(_faulty(throttle=True))
    for _ in range(10):  # ListEntities: 10 requests per second
        _list(catalog)
    with pytest.raises(ClientError) as raised:
        _list(catalog)
    code, status, message = error_of(raised)
    assert (code, status) == ("ThrottlingException", 429)
    assert "ListEntities" in message
    catalog.clock.advance(0.1)
    _list(catalog)
    assert _outcomes(catalog, 1) == ["ThrottlingException"]


def test_each_operation_has_its_own_bucket(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(_faulty(throttle=True, rates={"ListEntities": 1, "ListChangeSets": 1}))
    _list(catalog)
    assert _outcomes(catalog, 1) == ["ThrottlingException"]
    catalog.client.list_change_sets(Catalog="AWSMarketplace")


def test_batch_describe_draws_from_the_describe_entity_bucket() -> None:
    settings = FaultSettings(throttle=True, rates={"DescribeEntity": 2})
    faults = FaultInjector(settings, clock=FakeClock())
    faults.before("DescribeEntity")
    faults.before("BatchDescribeEntities")
    with pytest.raises(Exception, match="BatchDescribeEntities") as raised:
        faults.before("BatchDescribeEntities")
    assert type(raised.value).__name__ == "ThrottlingException"


def test_the_documented_rates_are_the_defaults() -> None:
    rates = FaultSettings().rates
    assert rates["ListEntities"] == 10
    assert rates["DescribeEntity"] == 20
    assert rates["StartChangeSet"] == 5
    assert rates["DescribeChangeSet"] == 10
    assert "BatchDescribeEntities" not in rates


def test_a_bucket_never_holds_more_than_one_second_of_tokens() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    bucket = TokenBucket(rate=3, tokens=3, updated=start)
    later = start + timedelta(seconds=100)
    assert [bucket.take(later) for _ in range(4)] == [True, True, True, False]


def test_error_rate_one_fails_every_call_with_internal_service_exception(
    make_catalog: MakeCatalog, error_of: Any
) -> None:
    catalog = make_catalog(_faulty(error_rate=1.0))
    with pytest.raises(ClientError) as raised:
        _list(catalog)
    assert error_of(raised)[:2] == ("InternalServiceException", 500)


def test_error_rate_is_deterministic_for_a_seed(make_catalog: MakeCatalog) -> None:
    first = _outcomes(make_catalog(_faulty(error_rate=0.5, error_seed=7)), 20)
    second = _outcomes(make_catalog(_faulty(error_rate=0.5, error_seed=7)), 20)
    assert first == second
    assert set(first) == {"ok", "InternalServiceException"}


def test_error_rate_can_target_operations(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(_faulty(error_rate=1.0, error_operations=["DescribeChangeSet"]))
    assert _outcomes(catalog, 3) == ["ok"] * 3


def test_latency_sleeps_before_every_call(make_catalog: MakeCatalog) -> None:
    slept: list[float] = []
    catalog = make_catalog(_faulty(latency=0.25), sleep=slept.append)
    _list(catalog)
    catalog.client.list_change_sets(Catalog="AWSMarketplace")
    assert slept == [0.25, 0.25]
