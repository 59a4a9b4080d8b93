"""Reads through boto3: describe, batch describe, paginators, shared scope and tags."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from pmp_reconcile.sandbox import SandboxSettings

if TYPE_CHECKING:
    from tests.sandbox.conftest import Catalog, MakeCatalog

EXPERIENCE = "Experience@1.0"
DELEGATED = "444455556666"
DELEGATED_KEY = "AKIDDELEGATED"
SHARED: list[Any] = [{"Name": "Scope", "ValueList": ["SharedWithMe"]}]


def create_experiences(catalog: Catalog, count: int) -> list[str]:
    """``count`` experiences, one change set each; returns their ids."""
    ids = []
    for index in range(count):
        started = catalog.client.start_change_set(
            Catalog="AWSMarketplace",
            ChangeSet=[
                {
                    "ChangeType": "CreateExperience",
                    "Entity": {"Type": EXPERIENCE},
                    "DetailsDocument": {"Name": f"Exp-{index:02d}"},
                }
            ],
        )
        described = catalog.client.describe_change_set(
            Catalog="AWSMarketplace", ChangeSetId=started["ChangeSetId"]
        )
        ids.append(described["ChangeSet"][0]["Entity"]["Identifier"].split("@")[0])
    return ids


def test_list_entities_pages_with_the_boto3_paginator(catalog: Catalog) -> None:
    ids = create_experiences(catalog, 25)
    paginator = catalog.client.get_paginator("list_entities")
    pages = list(
        paginator.paginate(
            Catalog="AWSMarketplace", EntityType="Experience", PaginationConfig={"PageSize": 10}
        )
    )
    assert [len(page["EntitySummaryList"]) for page in pages] == [10, 10, 5]
    listed = [s["EntityId"] for page in pages for s in page["EntitySummaryList"]]
    assert sorted(listed) == sorted(ids)
    summary = pages[0]["EntitySummaryList"][0]
    assert summary["EntityType"] == "Experience"
    assert {"Name", "EntityArn", "LastModifiedDate"} <= set(summary)


def test_list_entities_sorts_and_filters_by_id(catalog: Catalog) -> None:
    ids = create_experiences(catalog, 3)
    ascending = catalog.client.list_entities(
        Catalog="AWSMarketplace",
        EntityType="Experience",
        Sort={"SortBy": "EntityId", "SortOrder": "ASCENDING"},
    )
    assert [s["EntityId"] for s in ascending["EntitySummaryList"]] == sorted(ids)
    one = catalog.client.list_entities(
        Catalog="AWSMarketplace",
        EntityType="Experience",
        FilterList=[{"Name": "EntityId", "ValueList": [ids[1]]}],
    )
    assert [s["EntityId"] for s in one["EntitySummaryList"]] == [ids[1]]


def test_list_change_sets_pages_with_the_boto3_paginator(catalog: Catalog) -> None:
    create_experiences(catalog, 12)
    paginator = catalog.client.get_paginator("list_change_sets")
    pages = list(paginator.paginate(Catalog="AWSMarketplace", PaginationConfig={"PageSize": 5}))
    assert [len(page["ChangeSetSummaryList"]) for page in pages] == [5, 5, 2]
    ids = {s["ChangeSetId"] for page in pages for s in page["ChangeSetSummaryList"]}
    assert len(ids) == 12


def test_a_bad_page_token_is_a_validation_error(catalog: Catalog, error_of: Any) -> None:
    with pytest.raises(ClientError) as raised:
        catalog.client.list_entities(
            Catalog="AWSMarketplace", EntityType="Experience", NextToken="garbage"
        )
    assert error_of(raised)[:2] == ("ValidationException", 422)


def test_batch_describe_returns_details_and_per_entity_errors(catalog: Catalog) -> None:
    (exp,) = create_experiences(catalog, 1)
    reply = catalog.client.batch_describe_entities(
        EntityRequestList=[
            {"Catalog": "AWSMarketplace", "EntityId": exp},
            {"Catalog": "AWSMarketplace", "EntityId": "exp-missing"},
        ]
    )
    found = reply["EntityDetails"][exp]
    assert found["EntityType"] == EXPERIENCE
    assert found["EntityIdentifier"] == f"{exp}@1"
    assert found["DetailsDocument"]["Name"] == "Exp-00"
    assert "Details" not in found
    assert reply["Errors"]["exp-missing"]["ErrorCode"]


def test_describe_unknown_entity_is_not_found(catalog: Catalog, error_of: Any) -> None:
    with pytest.raises(ClientError) as raised:
        catalog.client.describe_entity(Catalog="AWSMarketplace", EntityId="exp-nothere")
    assert error_of(raised)[:2] == ("ResourceNotFoundException", 404)


def test_a_wrong_catalog_is_refused(catalog: Catalog) -> None:
    with pytest.raises(ClientError) as raised:
        catalog.client.list_entities(Catalog="NotAMarketplace", EntityType="Experience")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] in {404, 422}


@pytest.fixture
def shared(make_catalog: MakeCatalog) -> Catalog:
    return make_catalog(SandboxSettings(callers={DELEGATED_KEY: DELEGATED}))


def test_a_delegated_admin_sees_entities_only_with_scope_shared_with_me(shared: Catalog) -> None:
    ids = create_experiences(shared, 2)
    delegated = shared.client_as(DELEGATED_KEY)
    own = delegated.list_entities(Catalog="AWSMarketplace", EntityType="Experience")
    assert own["EntitySummaryList"] == []
    seen = delegated.list_entities(
        Catalog="AWSMarketplace",
        EntityType="Experience",
        FilterList=SHARED,
    )
    assert sorted(s["EntityId"] for s in seen["EntitySummaryList"]) == sorted(ids)
    owner_view = shared.client.list_entities(
        Catalog="AWSMarketplace",
        EntityType="Experience",
        FilterList=SHARED,
    )
    assert owner_view["EntitySummaryList"] == []


def test_a_delegated_admin_can_change_shared_entities(shared: Catalog) -> None:
    (exp,) = create_experiences(shared, 1)
    delegated = shared.client_as(DELEGATED_KEY)
    started = delegated.start_change_set(
        Catalog="AWSMarketplace",
        ChangeSet=[
            {
                "ChangeType": "UpdateExperience",
                "Entity": {"Type": EXPERIENCE, "Identifier": exp},
                "DetailsDocument": {"Description": "from the delegated admin"},
            }
        ],
    )
    described = delegated.describe_change_set(
        Catalog="AWSMarketplace", ChangeSetId=started["ChangeSetId"]
    )
    assert described["Status"] == "SUCCEEDED"
    listed = delegated.list_change_sets(
        Catalog="AWSMarketplace",
        FilterList=SHARED,
    )
    assert started["ChangeSetId"] in {s["ChangeSetId"] for s in listed["ChangeSetSummaryList"]}


def test_tags_on_an_experience_round_trip(catalog: Catalog) -> None:
    (exp,) = create_experiences(catalog, 1)
    arn = catalog.client.describe_entity(Catalog="AWSMarketplace", EntityId=exp)["EntityArn"]
    catalog.client.tag_resource(
        ResourceArn=arn, Tags=[{"Key": "team", "Value": "platform"}, {"Key": "x", "Value": "1"}]
    )
    catalog.client.untag_resource(ResourceArn=arn, TagKeys=["x"])
    tags = catalog.client.list_tags_for_resource(ResourceArn=arn)
    assert tags["ResourceArn"] == arn
    assert tags["Tags"] == [{"Key": "team", "Value": "platform"}]


def test_tagging_an_unknown_arn_is_not_found(catalog: Catalog, error_of: Any) -> None:
    arn = "arn:aws:aws-marketplace:us-east-1:111122223333:AWSMarketplace/Experience/exp-none"
    with pytest.raises(ClientError) as raised:
        catalog.client.list_tags_for_resource(ResourceArn=arn)
    assert error_of(raised)[:2] == ("ResourceNotFoundException", 404)
