"""The Discovery API as the sandbox plays it, through the real marketplace-discovery client.

Every test runs over both transports (in-process hook and loopback HTTP), as the Catalog
contract does; the same endpoint serves both services.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from pmp_reconcile.sandbox import FaultSettings, Marketplace, SandboxSettings

from discovery_rig import PRODUCTS

if TYPE_CHECKING:
    from tests.sandbox.conftest import MakeCatalog

SEED = Path(__file__).parents[2] / "examples" / "sandbox-seed.json"


def _marketplace(products: list[dict[str, Any]] = PRODUCTS) -> Marketplace:
    marketplace = Marketplace()
    marketplace.seed({"products": products})
    return marketplace


def _code(raised: Any) -> tuple[str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_get_product_answers_every_required_member(make_catalog: MakeCatalog) -> None:
    discovery = make_catalog(marketplace=_marketplace()).discovery()
    product = discovery.get_product(productId="prod-dd1")
    assert (product["productName"], product["manufacturer"]["displayName"]) == (
        "Datadog Pro",
        "Datadog",
    )
    assert product["listingId"] == "lst-dd"
    assert product["purchaseIndicators"] == []
    model = discovery.meta.service_model.operation_model("GetProduct").output_shape
    assert model is not None
    assert set(model.required_members) <= set(product)


def test_a_retired_product_carries_its_purchase_indicator(make_catalog: MakeCatalog) -> None:
    discovery = make_catalog(marketplace=_marketplace()).discovery()
    product = discovery.get_product(productId="prod-old")
    assert product["purchaseIndicators"] == [{"indicatorType": "NOT_AVAILABLE_FOR_SUBSCRIPTION"}]
    assert product["fulfillmentOptionSummaries"][0]["fulfillmentOptionType"] == (
        "AMAZON_MACHINE_IMAGE"
    )


def test_an_unknown_product_is_resource_not_found(make_catalog: MakeCatalog) -> None:
    discovery = make_catalog(marketplace=_marketplace()).discovery()
    with pytest.raises(discovery.exceptions.ResourceNotFoundException) as raised:
        discovery.get_product(productId="prod-nosuch")
    assert _code(raised) == ("ResourceNotFoundException", 404)


def test_search_matches_every_word_and_groups_products_by_listing(
    make_catalog: MakeCatalog,
) -> None:
    discovery = make_catalog(marketplace=_marketplace()).discovery()
    found = discovery.search_listings(searchText="DATADOG siem")
    assert found["totalResults"] == 1
    (listing,) = found["listingSummaries"]
    assert listing["listingId"] == "lst-dd"
    products = [entity["product"]["productId"] for entity in listing["associatedEntities"]]
    assert products == ["prod-dd1", "prod-dd2"]
    assert listing["badges"][0]["badgeType"] == "MULTI_PRODUCT"
    assert discovery.search_listings(searchText="nothing like it")["totalResults"] == 0


def test_search_pages_follow_next_token_to_the_end(make_catalog: MakeCatalog) -> None:
    discovery = make_catalog(marketplace=_marketplace()).discovery()
    paginator = discovery.get_paginator("search_listings")
    pages = list(paginator.paginate(searchText="widget", PaginationConfig={"PageSize": 7}))
    assert [len(p["listingSummaries"]) for p in pages] == [7, 7, 7, 7, 7, 5]
    names = [s["listingName"] for p in pages for s in p["listingSummaries"]]
    assert names == sorted(names)
    assert len(set(names)) == 40
    assert all(p["totalResults"] == 40 for p in pages)


def test_a_token_of_another_query_is_refused_with_its_reason(make_catalog: MakeCatalog) -> None:
    discovery = make_catalog(marketplace=_marketplace()).discovery()
    token = discovery.search_listings(searchText="widget", maxResults=5)["nextToken"]
    with pytest.raises(discovery.exceptions.ValidationException) as raised:
        discovery.search_listings(searchText="datadog", nextToken=token)
    assert _code(raised) == ("ValidationException", 400)
    assert raised.value.response["reason"] == "INVALID_PAGINATION_TOKEN"  # type: ignore[typeddict-item]


def test_filters_narrow_and_unemulated_ones_are_refused(make_catalog: MakeCatalog) -> None:
    discovery = make_catalog(marketplace=_marketplace()).discovery()
    by_id = discovery.search_listings(
        filters=[{"filterType": "PRODUCT_ID", "filterValues": ["prod-old"]}]
    )
    assert [s["listingName"] for s in by_id["listingSummaries"]] == ["Old Reporting"]
    with pytest.raises(ClientError) as raised:
        discovery.search_listings(filters=[{"filterType": "CERTIFICATES", "filterValues": ["x"]}])
    assert _code(raised) == ("ValidationException", 400)


def test_discovery_rates_throttle_at_five_and_ten_per_second(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(
        SandboxSettings(faults=FaultSettings(throttle=True)), marketplace=_marketplace()
    )
    discovery = catalog.discovery()
    for _ in range(5):
        discovery.get_product(productId="prod-dd1")
    with pytest.raises(discovery.exceptions.ThrottlingException) as raised:
        discovery.get_product(productId="prod-dd1")
    assert _code(raised) == ("ThrottlingException", 429)
    for _ in range(10):
        discovery.search_listings(searchText="widget")
    with pytest.raises(discovery.exceptions.ThrottlingException):
        discovery.search_listings(searchText="widget")
    catalog.clock.advance(0.2)
    discovery.get_product(productId="prod-dd1")


def test_denied_operations_answer_access_denied(make_catalog: MakeCatalog) -> None:
    settings = SandboxSettings(faults=FaultSettings(denied=["GetProduct", "SearchListings"]))
    discovery = make_catalog(settings, marketplace=_marketplace()).discovery()
    with pytest.raises(discovery.exceptions.AccessDeniedException) as raised:
        discovery.get_product(productId="prod-dd1")
    assert _code(raised) == ("AccessDeniedException", 403)
    with pytest.raises(discovery.exceptions.AccessDeniedException):
        discovery.search_listings(searchText="datadog")


def test_injected_faults_speak_the_discovery_family(make_catalog: MakeCatalog) -> None:
    settings = SandboxSettings(faults=FaultSettings(error_rate=1.0))
    discovery = make_catalog(settings, marketplace=_marketplace()).discovery()
    with pytest.raises(discovery.exceptions.InternalServerException) as raised:
        discovery.get_product(productId="prod-dd1")
    assert _code(raised) == ("InternalServerException", 500)


def test_the_catalog_api_still_answers_beside_discovery(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(marketplace=_marketplace())
    catalog.discovery().get_product(productId="prod-dd1")
    listed = catalog.client.list_entities(Catalog="AWSMarketplace", EntityType="Experience")
    assert listed["EntitySummaryList"] == []


def test_products_survive_the_state_document() -> None:
    marketplace = _marketplace()
    document = json.loads(json.dumps(marketplace.to_document()))
    again = Marketplace.from_document(document)
    assert again.products.products == marketplace.products.products


def test_the_example_seed_names_every_product_of_the_example_tree() -> None:
    marketplace = Marketplace()
    marketplace.seed(json.loads(SEED.read_text(encoding="utf-8")))
    tree = (Path(__file__).parents[2] / "desired_state" / "products.yaml").read_text()
    ids = [line.split(":", 1)[1].split("#")[0].strip() for line in tree.splitlines()[2:]]
    assert ids
    assert set(ids) <= set(marketplace.products.products)
    assert len(marketplace.products.products) >= 12


@pytest.mark.parametrize(
    ("products", "message"),
    [
        ([{"name": "no id"}], "products[0].id"),
        ([{"id": "bad id!", "name": "x"}], "products[0].id"),
        ([{"id": "p", "name": " "}], "products[0].name"),
        ([{"id": "p", "name": "x", "availability": "gone"}], "availability"),
        ([{"id": "p", "name": "x", "fulfillment": ["FAX"]}], "fulfillment"),
        ([{"id": "p", "name": "x", "price": 1}], "unknown key"),
        ([{"id": "p", "name": "x"}, {"id": "p", "name": "y"}], "listed twice"),
        ("not a list", "must be a list"),
    ],
)
def test_a_bad_product_seed_names_what_is_wrong(products: Any, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        Marketplace().seed({"products": products})
    assert message in str(raised.value)
