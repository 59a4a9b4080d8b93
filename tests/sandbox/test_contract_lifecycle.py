"""Change-set lifecycle, entity locks, cancellation, quotas, idempotency and forced failures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from pmp_reconcile.sandbox import SandboxSettings, StateOptions, inject_state_faults, progression

if TYPE_CHECKING:
    from tests.sandbox.conftest import Catalog, MakeCatalog

EXPERIENCE = "Experience@1.0"
TERMINAL = {"SUCCEEDED", "FAILED", "CANCELLED"}


def create(name: str) -> dict[str, Any]:
    return {
        "ChangeType": "CreateExperience",
        "Entity": {"Type": EXPERIENCE},
        "DetailsDocument": {"Name": name},
    }


def update(exp: str, description: str) -> dict[str, Any]:
    return {
        "ChangeType": "UpdateExperience",
        "Entity": {"Type": EXPERIENCE, "Identifier": exp},
        "DetailsDocument": {"Description": description},
    }


def settle(catalog: Catalog, change_set_id: str, limit: int = 20) -> dict[str, Any]:
    """Advance the fake clock until the change set ends."""
    for _ in range(limit):
        described = catalog.describe(change_set_id)
        if described["Status"] in TERMINAL:
            return described
        catalog.clock.advance(1)
    raise AssertionError(f"{change_set_id} never ended")


def experience(catalog: Catalog, name: str = "Exp") -> str:
    described = settle(catalog, catalog.start(create(name)))
    assert described["Status"] == "SUCCEEDED", described
    return str(described["ChangeSet"][0]["Entity"]["Identifier"]).split("@")[0]


def in_mode(mode: str, **state: Any) -> SandboxSettings:
    return SandboxSettings(state=StateOptions(progression=progression(mode), **state))  # type: ignore[arg-type]


def test_immediate_mode_ends_before_the_first_describe(catalog: Catalog) -> None:
    described = catalog.describe(catalog.start(create("Now")))
    assert described["Status"] == "SUCCEEDED"
    assert described["EndTime"]


def test_seconds_mode_walks_preparing_applying_succeeded(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(in_mode("seconds"))
    change_set = catalog.start(create("Slow"))
    seen = []
    for _ in range(6):
        described = catalog.describe(change_set)
        seen.append(described["Status"])
        catalog.clock.advance(1)
    assert seen[0] == "PREPARING"
    assert "APPLYING" in seen
    assert seen[-1] == "SUCCEEDED"
    assert seen.index("PREPARING") < seen.index("APPLYING") < seen.index("SUCCEEDED")


def test_describes_mode_advances_by_reads_not_time(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(in_mode("describes"))
    change_set = catalog.start(create("Polled"))
    statuses = [catalog.describe(change_set)["Status"] for _ in range(8)]
    assert statuses[0] != "SUCCEEDED"
    assert statuses[-1] == "SUCCEEDED"


def test_start_and_end_times_are_iso8601_utc_seconds(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(in_mode("seconds"))
    described = catalog.describe(catalog.start(create("Timed")))
    assert len(described["StartTime"]) == 20
    assert described["StartTime"].endswith("Z")
    assert not described.get("EndTime")
    assert len(settle(catalog, described["ChangeSetId"])["EndTime"]) == 20


def test_an_open_change_set_locks_its_entities(make_catalog: MakeCatalog, error_of: Any) -> None:
    catalog = make_catalog(in_mode("seconds"))
    exp = experience(catalog)
    first = catalog.start(update(exp, "first"))
    with pytest.raises(ClientError) as raised:
        catalog.start(update(exp, "second"))
    assert error_of(raised)[:2] == ("ResourceInUseException", 423)
    settle(catalog, first)
    settle(catalog, catalog.start(update(exp, "second")))


def test_a_foreign_lock_refuses_change_sets_until_released(catalog: Catalog, error_of: Any) -> None:
    exp = experience(catalog)
    (holder,) = inject_state_faults(catalog.marketplace, lock_entities=(exp,))
    with pytest.raises(ClientError) as raised:
        catalog.start(update(exp, "blocked"))
    assert error_of(raised)[:2] == ("ResourceInUseException", 423)
    catalog.marketplace.release_lock(holder)
    assert catalog.describe(catalog.start(update(exp, "free")))["Status"] == "SUCCEEDED"


def test_cancel_while_preparing_cancels_and_unlocks(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(in_mode("seconds"))
    exp = experience(catalog)
    change_set = catalog.start(update(exp, "never"))
    reply = catalog.client.cancel_change_set(Catalog="AWSMarketplace", ChangeSetId=change_set)
    assert reply["ChangeSetId"] == change_set
    assert settle(catalog, change_set)["Status"] == "CANCELLED"
    settle(catalog, catalog.start(update(exp, "after cancel")))


def test_cancel_after_the_end_is_refused(catalog: Catalog, error_of: Any) -> None:
    change_set = catalog.start(create("Done"))
    with pytest.raises(ClientError) as raised:
        catalog.client.cancel_change_set(Catalog="AWSMarketplace", ChangeSetId=change_set)
    code, status, _ = error_of(raised)
    assert 400 <= status < 500
    assert code in {"ResourceInUseException", "ValidationException"}


def test_unknown_change_set_is_not_found(catalog: Catalog, error_of: Any) -> None:
    with pytest.raises(ClientError) as raised:
        catalog.describe("nosuchchangeset")
    assert error_of(raised)[:2] == ("ResourceNotFoundException", 404)


def test_the_open_change_set_quota_is_enforced(make_catalog: MakeCatalog, error_of: Any) -> None:
    catalog = make_catalog(in_mode("seconds", open_change_set_quota=2))
    catalog.start(create("One"))
    catalog.start(create("Two"))
    with pytest.raises(ClientError) as raised:
        catalog.start(create("Three"))
    assert error_of(raised)[:2] == ("ServiceQuotaExceededException", 402)


def test_a_repeated_client_request_token_returns_the_same_change_set(catalog: Catalog) -> None:
    first = catalog.start(create("Once"), ClientRequestToken="plan-42-wave-1")
    second = catalog.start(create("Once"), ClientRequestToken="plan-42-wave-1")
    assert first == second
    listed = catalog.client.list_entities(Catalog="AWSMarketplace", EntityType="Experience")
    assert [s["Name"] for s in listed["EntitySummaryList"]] == ["Once"]


def test_forced_failures_end_change_sets_failed(catalog: Catalog) -> None:
    inject_state_faults(catalog.marketplace, fail_change_sets=1, failure="SERVER_FAULT")
    failed = catalog.describe(catalog.start(create("Unlucky")))
    assert failed["Status"] == "FAILED"
    assert failed["FailureCode"] == "SERVER_FAULT"
    assert catalog.describe(catalog.start(create("Lucky")))["Status"] == "SUCCEEDED"


def test_change_sets_are_listed_and_filtered(catalog: Catalog) -> None:
    exp = experience(catalog, "Listed")
    catalog.start(update(exp, "again"))
    listed = catalog.client.list_change_sets(
        Catalog="AWSMarketplace", FilterList=[{"Name": "EntityId", "ValueList": [exp]}]
    )
    summaries = listed["ChangeSetSummaryList"]
    assert len(summaries) == 2
    assert all(exp in s["EntityIdList"] for s in summaries)
    succeeded = catalog.client.list_change_sets(
        Catalog="AWSMarketplace", FilterList=[{"Name": "Status", "ValueList": ["SUCCEEDED"]}]
    )
    assert len(succeeded["ChangeSetSummaryList"]) == 2
