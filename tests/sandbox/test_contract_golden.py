"""Golden documents: DescribeEntity for each PMP entity type and DescribeChangeSet.

Both transports must produce the same bytes, so they share one golden file per document.
Ids are replaced by stable labels in order of appearance, so the files pin the shape and the
values, not the id generator.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.sandbox.conftest import Catalog

EXPERIENCE = "Experience@1.0"
REF = "$Exp.Entity.Identifier"
TYPES = ["Experience", "ProcurementPolicy", "BrandingSettings", "Audience"]

BOOTSTRAP: list[dict[str, Any]] = [
    {"ChangeType": "CreateExperience", "ChangeName": "Exp",
     "Entity": {"Type": EXPERIENCE},
     "DetailsDocument": {"Name": "Platform-Team", "Description": "Approved tools"}},
    {"ChangeType": "CreateProcurementPolicy",
     "Entity": {"Type": EXPERIENCE, "Identifier": REF},
     "DetailsDocument": {"Name": "platform-policy",
                         "Configuration": {"PolicyResourceRequests": "Deny"}}},
    {"ChangeType": "AllowProductProcurement",
     "Entity": {"Type": EXPERIENCE, "Identifier": REF},
     "DetailsDocument": {"Products": [{"Ids": ["0f1e2d3c-aaaa-bbbb-cccc-112233445566"],
                                       "Notes": "SR-1042"}]}},
    {"ChangeType": "CreateBrandingSettings",
     "Entity": {"Type": EXPERIENCE, "Identifier": REF},
     "DetailsDocument": {"Name": "platform-branding",
                         "Configuration": {"Title": "Platform", "ThemeColor": "#1A4D2E"}}},
    {"ChangeType": "AssociateAudience",
     "Entity": {"Type": EXPERIENCE, "Identifier": REF},
     "DetailsDocument": {"Principals": ["ou-ab12-cdef3456", "210987654321"]}},
]  # fmt: skip


class Labels:
    """Replaces generated ids by ``<kind-n>`` labels, numbered in order of first sight."""

    def __init__(self) -> None:
        self._labels: dict[str, str] = {}

    def add(self, value: str, kind: str) -> None:
        if value not in self._labels:
            count = sum(label.startswith(f"<{kind}-") for label in self._labels.values())
            self._labels[value] = f"<{kind}-{count + 1}>"

    def apply(self, text: str) -> str:
        for value in sorted(self._labels, key=len, reverse=True):
            text = re.sub(rf"(?<![\w-]){re.escape(value)}(?![\w-])", self._labels[value], text)
        return text


def render(reply: dict[str, Any], labels: Labels) -> str:
    body = {key: value for key, value in reply.items() if key != "ResponseMetadata"}
    return labels.apply(json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


@pytest.fixture
def bootstrapped(catalog: Catalog) -> tuple[Catalog, str, Labels]:
    started = catalog.client.start_change_set(
        Catalog="AWSMarketplace",
        ChangeSetName="bootstrap platform experience",
        ChangeSet=BOOTSTRAP,  # type: ignore[arg-type]
    )
    labels = Labels()
    labels.add(started["ChangeSetId"], "changeset")
    for kind in TYPES:
        listed = catalog.client.list_entities(
            Catalog="AWSMarketplace", EntityType=kind, Sort={"SortBy": "EntityId"}
        )
        for summary in listed["EntitySummaryList"]:
            labels.add(summary["EntityId"], kind.lower())
    return catalog, started["ChangeSetId"], labels


@pytest.mark.parametrize("kind", TYPES)
def test_describe_entity_document(
    bootstrapped: tuple[Catalog, str, Labels], golden: Callable[[str, str], None], kind: str
) -> None:
    catalog, _, labels = bootstrapped
    listed = catalog.client.list_entities(Catalog="AWSMarketplace", EntityType=kind)
    (summary,) = listed["EntitySummaryList"]
    reply = catalog.client.describe_entity(Catalog="AWSMarketplace", EntityId=summary["EntityId"])
    golden(f"sandbox/describe_entity_{kind}.json", render(dict(reply), labels))


def test_describe_change_set_document(
    bootstrapped: tuple[Catalog, str, Labels], golden: Callable[[str, str], None]
) -> None:
    catalog, change_set_id, labels = bootstrapped
    reply = catalog.client.describe_change_set(Catalog="AWSMarketplace", ChangeSetId=change_set_id)
    assert reply["Status"] == "SUCCEEDED"
    golden("sandbox/describe_change_set_bootstrap.json", render(dict(reply), labels))


def test_failed_change_set_document(catalog: Catalog, golden: Callable[[str, str], None]) -> None:
    changes: list[Any] = [BOOTSTRAP[0], {**BOOTSTRAP[2], "ChangeName": "Allow"}]
    started = catalog.client.start_change_set(
        Catalog="AWSMarketplace", ChangeSetName="allow without policy", ChangeSet=changes
    )
    labels = Labels()
    labels.add(started["ChangeSetId"], "changeset")
    reply = catalog.client.describe_change_set(
        Catalog="AWSMarketplace", ChangeSetId=started["ChangeSetId"]
    )
    for change in reply["ChangeSet"]:
        identifier = change["Entity"].get("Identifier", "")
        if identifier and not identifier.startswith("$"):
            labels.add(identifier.split("@")[0], "experience")
    assert reply["Status"] == "FAILED"
    golden("sandbox/describe_change_set_failed.json", render(dict(reply), labels))
