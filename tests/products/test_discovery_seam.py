"""The Discovery seam against the sandbox: lookups, pacing, retries, AccessDenied, the cache."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from pmp_reconcile.errors import AwsServiceError
from pmp_reconcile.products.aliases import alias_for
from pmp_reconcile.products.lookup import NO_PERMISSION
from pmp_reconcile.products.search import search_products
from pmp_reconcile.sandbox import FaultSettings, SandboxSettings

from discovery_rig import DiscoveryRig


@pytest.fixture
def rig(tmp_path: Path) -> DiscoveryRig:
    return DiscoveryRig(cache_dir=tmp_path / ".pmp-cache")


def test_facts_name_known_ids_and_list_unknown_ones(rig: DiscoveryRig) -> None:
    facts = rig.directory().facts(["prod-dd1", "prod-old", "prod-nosuch"])
    assert facts.name_of("prod-dd1") == "Datadog Pro"
    assert facts.products["prod-dd1"].publisher == "Datadog"
    assert facts.products["prod-dd1"].available
    assert not facts.products["prod-old"].available
    assert facts.unknown == {"prod-nosuch"}
    assert facts.unavailable is None


def test_each_distinct_id_is_read_once(rig: DiscoveryRig) -> None:
    directory = rig.directory()
    directory.facts(["prod-dd1", "prod-dd2", "prod-dd1", "prod-dd2", "prod-nosuch"] * 3)
    assert directory.api.calls.counts == {"GetProduct": 3}


def test_get_product_is_never_faster_than_five_a_second(rig: DiscoveryRig) -> None:
    ids = [f"prod-n{i:03}" for i in range(40)]
    rig.directory().facts(ids)
    assert len(rig.arrivals) == 40
    gaps = [later - earlier for earlier, later in zip(rig.arrivals, rig.arrivals[1:], strict=False)]
    assert min(gaps) >= timedelta(seconds=0.2)
    for first in range(len(rig.arrivals) - 5):
        assert rig.arrivals[first + 5] - rig.arrivals[first] >= timedelta(seconds=1)


def test_the_sandbox_rate_never_throttles_a_paced_lookup(rig: DiscoveryRig) -> None:
    settings = SandboxSettings(faults=FaultSettings(throttle=True))
    directory = rig.directory(settings=settings)
    facts = directory.facts([f"prod-n{i:03}" for i in range(40)])
    assert len(facts.products) == 40
    assert directory.api.calls.counts == {"GetProduct": 40}


def test_throttling_is_retried(rig: DiscoveryRig) -> None:
    settings = SandboxSettings(faults=FaultSettings(throttle=True, rates={"GetProduct": 1.0}))
    directory = rig.directory(settings=settings)
    facts = directory.facts([f"prod-n{i:03}" for i in range(6)])
    assert len(facts.products) == 6
    assert directory.api.calls.counts["GetProduct"] > 6


def test_a_lasting_fault_is_an_error(rig: DiscoveryRig) -> None:
    settings = SandboxSettings(faults=FaultSettings(error_rate=1.0))
    with pytest.raises(AwsServiceError) as raised:
        rig.directory(settings=settings).facts(["prod-dd1"])
    assert "InternalServerException" in str(raised.value)


def test_access_denied_is_said_once_and_cached_names_stay(rig: DiscoveryRig) -> None:
    rig.directory().facts(["prod-dd1"])
    denied = SandboxSettings(faults=FaultSettings(denied=["GetProduct"]))
    directory = rig.directory(settings=denied)
    facts = directory.facts(["prod-dd1", "prod-dd2", "prod-old"])
    assert facts.unavailable == NO_PERMISSION
    assert facts.name_of("prod-dd1") == "Datadog Pro"
    assert facts.unknown == frozenset()
    assert directory.api.calls.counts == {"GetProduct": 1}


def test_a_second_lookup_makes_no_call(rig: DiscoveryRig) -> None:
    ids = ["prod-dd1", "prod-old", "prod-nosuch"]
    first = rig.directory().facts(ids)
    again = rig.directory()
    assert again.facts(ids) == first
    assert again._api is None  # not even a client was made


def test_refresh_ignores_the_cache(rig: DiscoveryRig) -> None:
    rig.directory().facts(["prod-dd1"])
    fresh = rig.directory(refresh=True)
    fresh.facts(["prod-dd1"])
    assert fresh.api.calls.counts == {"GetProduct": 1}


def test_old_entries_are_read_again(rig: DiscoveryRig) -> None:
    rig.directory().facts(["prod-dd1"])
    rig.today += timedelta(days=8)
    later = rig.directory()
    later.facts(["prod-dd1"])
    assert later.api.calls.counts == {"GetProduct": 1}


def test_the_cache_file_records_the_day_each_entry_was_read(rig: DiscoveryRig) -> None:
    rig.directory().facts(["prod-dd1", "prod-nosuch"])
    document = json.loads((rig.cache_dir / "products.json").read_text())
    entries = document["sources"]["sandbox"]
    assert entries["prod-dd1"] == {
        "available": True,
        "name": "Datadog Pro",
        "publisher": "Datadog",
        "read_on": "2026-11-29",
    }
    assert entries["prod-nosuch"] == {"unknown": True, "read_on": "2026-11-29"}


def test_sources_keep_their_own_entries(rig: DiscoveryRig) -> None:
    rig.directory().facts(["prod-dd1"])
    assert rig.cache("aws").get("prod-dd1") is None
    assert rig.cache("sandbox").get("prod-dd1") is not None


@pytest.mark.parametrize(
    "text",
    ["not json", '{"format": "other"}', '{"format": "pmp-products-cache/1", "sources": 3}', "[]"],
)
def test_an_unreadable_cache_is_ignored(rig: DiscoveryRig, text: str) -> None:
    rig.cache_dir.mkdir()
    (rig.cache_dir / "products.json").write_text(text)
    facts = rig.directory().facts(["prod-dd1"])
    assert facts.name_of("prod-dd1") == "Datadog Pro"


@pytest.mark.parametrize(
    ("member", "value"), [("name", None), ("name", 5), ("publisher", []), ("available", "yes")]
)
def test_a_malformed_entry_is_read_again(rig: DiscoveryRig, member: str, value: object) -> None:
    """A member missing (None here) or of the wrong type: the entry is read again."""
    rig.directory().facts(["prod-dd1"])
    path = rig.cache_dir / "products.json"
    document = json.loads(path.read_text())
    entry = document["sources"]["sandbox"]["prod-dd1"]
    if value is None:
        del entry[member]
    else:
        entry[member] = value
    path.write_text(json.dumps(document))
    again = rig.directory()
    assert again.facts(["prod-dd1"]).name_of("prod-dd1") == "Datadog Pro"
    assert again.api.calls.counts == {"GetProduct": 1}


def test_an_unwritable_cache_does_not_fail_the_lookup(rig: DiscoveryRig) -> None:
    rig.cache_dir.write_text("a file where the directory should be")
    facts = rig.directory().facts(["prod-dd1"])
    assert facts.name_of("prod-dd1") == "Datadog Pro"


def test_search_lists_each_product_of_each_matching_listing(rig: DiscoveryRig) -> None:
    hits = search_products(rig.api(), "datadog", 10)
    assert [(h.product_id, h.name, h.publisher) for h in hits] == [
        ("prod-dd1", "Datadog Pro", "Datadog"),
        ("prod-dd2", "Datadog Cloud SIEM", "Datadog"),
    ]
    assert hits[0].listing_id == "lst-dd"
    assert hits[0].fulfillment == ("SAAS",)


def test_search_pages_up_to_the_limit(rig: DiscoveryRig) -> None:
    api = rig.api()
    assert len(search_products(api, "widget", 40)) == 40
    assert len(search_products(api, "widget", 7)) == 7
    assert api.calls.counts == {"SearchListings": 2}


@pytest.mark.parametrize(
    ("name", "alias"),
    [
        ("Datadog Pro", "datadog-pro"),
        ("HCP Terraform (BYOL)", "hcp-terraform-byol"),
        ("!!", "product"),
    ],
)
def test_aliases_come_from_names(name: str, alias: str) -> None:
    assert alias_for(name) == alias
