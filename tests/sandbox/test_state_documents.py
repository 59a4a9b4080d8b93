"""The state model's documents: seeds, saved state and settings, without any transport."""

from __future__ import annotations

from typing import Any

import pytest

from pmp_reconcile.sandbox import FakeClock, Marketplace, SandboxSettings, StateOptions, progression

OWNER = "111122223333"
PRODUCTS = [f"prod-{n:04d}" for n in range(60)]
SEED: dict[str, Any] = {
    "experiences": [
        {
            "name": "Finance",
            "description": "Finance tools",
            "status": "Enabled",
            "procurement_policy": {
                "requests": "Deny",
                "allow": PRODUCTS,
                "deny": ["prod-9999"],
                "notes": {"prod-9999": "end of life"},
            },
            "branding": {"title": "Finance", "theme_color": "#0A66C2"},
            "audiences": [{"name": "finance", "principals": ["210987654321"]}],
        },
        {"name": "Archived", "archived": True},
    ]
}


def call(marketplace: Marketplace, operation: str, **params: Any) -> dict[str, Any]:
    return marketplace.dispatch(operation, {"Catalog": "AWSMarketplace", **params}, OWNER)


def documents(marketplace: Marketplace, entity_type: str) -> list[dict[str, Any]]:
    listed = call(marketplace, "ListEntities", EntityType=entity_type, MaxResults=50)
    return [
        call(marketplace, "DescribeEntity", EntityId=s["EntityId"])["DetailsDocument"]
        for s in listed["EntitySummaryList"]
    ]


def test_a_seed_builds_experiences_through_ordinary_changes() -> None:
    marketplace = Marketplace()
    marketplace.seed(SEED)
    experiences = {e["Name"]: e for e in documents(marketplace, "Experience")}
    assert experiences["Finance"]["Status"] == "Enabled"
    assert experiences["Archived"]["AdminStatus"] == "Restricted"
    (policy,) = documents(marketplace, "ProcurementPolicy")
    allowed, denied = policy["Statements"]
    assert [r["Ids"][0] for r in allowed["Resources"]] == PRODUCTS
    assert denied["Resources"] == [
        {"Type": "Product", "Ids": ["prod-9999"], "Notes": "end of life"}
    ]
    assert policy["Configuration"] == {"PolicyResourceRequests": "Deny"}
    (audience,) = documents(marketplace, "Audience")
    assert audience["Principals"] == ["210987654321"]


FINE = {"name": "Fine"}


@pytest.mark.parametrize(
    ("seed", "fragment"),
    [
        ({"experiences": [FINE, {"name": "bad/name"}]}, "Name"),
        ({"experiences": [FINE, {"name": "x", "colour": "red"}]}, "colour"),
        ({"experiences": [FINE, {"name": "x", "status": "Enabled", "archived": True}]}, "disabled"),
        ({"experiences": [FINE], "people": []}, "people"),
        ({"experiences": {"name": "x"}}, "list"),
    ],
)
def test_a_bad_seed_is_refused_whole(seed: dict[str, Any], fragment: str) -> None:
    marketplace = Marketplace()
    with pytest.raises(ValueError, match=fragment):
        marketplace.seed(seed)
    assert documents(marketplace, "Experience") == []


def test_an_open_change_set_survives_a_save_and_ends_after_loading() -> None:
    clock = FakeClock()
    options = StateOptions(progression=progression("seconds"))
    marketplace = Marketplace(options, clock)
    change = {
        "ChangeType": "CreateExperience",
        "Entity": {"Type": "Experience@1.0"},
        "DetailsDocument": {"Name": "Later"},
    }
    started = call(marketplace, "StartChangeSet", ChangeSet=[change], ClientRequestToken="t")
    document = marketplace.to_document()
    reloaded = Marketplace.from_document(document, options, clock)
    clock.advance(5)
    described = call(reloaded, "DescribeChangeSet", ChangeSetId=started["ChangeSetId"])
    assert described["Status"] == "SUCCEEDED"
    assert [e["Name"] for e in documents(reloaded, "Experience")] == ["Later"]
    again = call(reloaded, "StartChangeSet", ChangeSet=[change], ClientRequestToken="t")
    assert again == started


def test_a_state_document_is_a_seed_too() -> None:
    source = Marketplace()
    source.seed(SEED)
    copy = Marketplace()
    copy.seed(source.to_document())
    assert documents(copy, "Experience") == documents(source, "Experience")


def test_a_document_of_another_format_is_refused() -> None:
    with pytest.raises(ValueError, match="format"):
        Marketplace.from_document({"format": "something-else"})


def test_settings_round_trip_and_refuse_unknown_keys() -> None:
    settings = SandboxSettings(state=StateOptions(atomic=False, audiences="per_experience"))
    assert SandboxSettings.from_dict(settings.to_dict()) == settings
    with pytest.raises(ValueError, match="colour"):
        SandboxSettings.from_dict({"state": {"colour": "red"}})
    with pytest.raises(ValueError, match="progression"):
        SandboxSettings.from_dict({"state": {"progression": {"mode": "sometimes"}}})


def test_unemulated_operations_are_validation_errors() -> None:
    with pytest.raises(Exception, match="PutResourcePolicy") as raised:
        Marketplace().dispatch("PutResourcePolicy", {}, OWNER)
    assert type(raised.value).__name__ == "ValidationException"
