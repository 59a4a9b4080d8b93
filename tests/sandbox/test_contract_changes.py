"""Every PMP change type through boto3: what succeeds, what is refused and how."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from tests.sandbox.conftest import Catalog

EXPERIENCE = "Experience@1.0"
PRODUCT_A = "0f1e2d3c-aaaa-bbbb-cccc-112233445566"
PRODUCT_B = "9a8b7c6d-1111-2222-3333-445566778899"
OU = "ou-ab12-cdef3456"
ACCOUNT = "210987654321"


def change(change_type: str, identifier: str | None, details: Any, **extra: Any) -> dict[str, Any]:
    entity: dict[str, Any] = {"Type": EXPERIENCE}
    if identifier is not None:
        entity["Identifier"] = identifier
    return {"ChangeType": change_type, "Entity": entity, "DetailsDocument": details, **extra}


def entity_id(identifier: str) -> str:
    return identifier.split("@", 1)[0]


def new_experience(catalog: Catalog, name: str = "Platform-Team") -> str:
    """Create an experience (``immediate`` lifecycle) and return its id."""
    started = catalog.start(change("CreateExperience", None, {"Name": name}))
    described = catalog.describe(started)
    assert described["Status"] == "SUCCEEDED", described
    return entity_id(described["ChangeSet"][0]["Entity"]["Identifier"])


def details_of(catalog: Catalog, entity: str) -> dict[str, Any]:
    reply = catalog.client.describe_entity(Catalog="AWSMarketplace", EntityId=entity)
    assert json.loads(reply["Details"]) == reply["DetailsDocument"]
    return dict(reply["DetailsDocument"])


def run(catalog: Catalog, *changes: dict[str, Any]) -> dict[str, Any]:
    return catalog.describe(catalog.start(*changes))


def test_create_experience_makes_a_disabled_experience(catalog: Catalog) -> None:
    exp = new_experience(catalog)
    reply = catalog.client.describe_entity(Catalog="AWSMarketplace", EntityId=exp)
    assert reply["EntityType"] == EXPERIENCE
    assert reply["EntityIdentifier"] == f"{exp}@1"
    assert reply["EntityArn"].endswith(f":AWSMarketplace/Experience/{exp}")
    assert reply["DetailsDocument"]["Name"] == "Platform-Team"
    assert reply["DetailsDocument"]["Status"] == "Disabled"


def test_a_bootstrap_change_set_resolves_in_set_references(catalog: Catalog) -> None:
    ref = "$NewExp.Entity.Identifier"
    described = run(
        catalog,
        change("CreateExperience", None, {"Name": "Platform-Team"}, ChangeName="NewExp"),
        change(
            "CreateProcurementPolicy",
            ref,
            {"Name": "policy", "Configuration": {"PolicyResourceRequests": "Deny"}},
        ),
        change("AllowProductProcurement", ref, {"Products": [{"Ids": [PRODUCT_A]}]}),
        change("AssociateAudience", ref, {"Principals": [OU]}),
        change("CreateBrandingSettings", ref, {"Name": "branding"}),
        change("UpdateExperience", ref, {"Status": "Enabled"}),
    )
    assert described["Status"] == "SUCCEEDED", described
    exp = entity_id(described["ChangeSet"][0]["Entity"]["Identifier"])
    experience = details_of(catalog, exp)
    assert experience["Status"] == "Enabled"
    policy = details_of(catalog, experience["ProcurementPolicies"][0])
    assert policy["Configuration"] == {"PolicyResourceRequests": "Deny"}
    allowed = [
        product
        for statement in policy["Statements"]
        if statement["Effect"] == "Allow"
        for resource in statement["Resources"]
        for product in resource["Ids"]
    ]
    assert allowed == [PRODUCT_A]
    assert details_of(catalog, experience["BrandingSettings"][0])["Name"] == "branding"


@pytest.fixture
def ready(catalog: Catalog) -> tuple[Catalog, str]:
    """An experience with a procurement policy, branding and one associated OU."""
    exp = new_experience(catalog)
    described = run(
        catalog,
        change(
            "CreateProcurementPolicy", exp, {"Configuration": {"PolicyResourceRequests": "Allow"}}
        ),
        change("CreateBrandingSettings", exp, {"Name": "branding"}),
        change("AssociateAudience", exp, {"Principals": [OU]}),
    )
    assert described["Status"] == "SUCCEEDED", described
    return catalog, exp


VALID: list[tuple[str, dict[str, Any]]] = [
    ("UpdateExperience", {"Name": "Renamed", "Description": "New text", "Status": "Enabled"}),
    ("UpdateProcurementPolicy", {"Configuration": {"PolicyResourceRequests": "Deny"}}),
    (
        "UpdateBrandingSettings",
        {"Configuration": {"Title": "Platform", "ThemeColor": "#0B3D91"}},
    ),
    ("AssociateAudience", {"Principals": [ACCOUNT]}),
    ("DisassociateAudience", {"Principals": [OU]}),
    ("AllowProductProcurement", {"Products": [{"Ids": [PRODUCT_A, PRODUCT_B], "Notes": "SR-1"}]}),
    ("DenyProductProcurement", {"Products": [{"Ids": [PRODUCT_B]}]}),
    ("RestrictExperience", {}),
]


@pytest.mark.parametrize(("change_type", "details"), VALID, ids=[v[0] for v in VALID])
def test_each_change_type_succeeds_on_a_ready_experience(
    ready: tuple[Catalog, str], change_type: str, details: dict[str, Any]
) -> None:
    catalog, exp = ready
    described = run(catalog, change(change_type, exp, details))
    assert described["Status"] == "SUCCEEDED", described
    assert described["ChangeSet"][0]["ChangeType"] == change_type
    assert described["ChangeSet"][0]["DetailsDocument"] == details


def test_restrict_then_revive_round_trips(ready: tuple[Catalog, str]) -> None:
    catalog, exp = ready
    before = details_of(catalog, exp)["AdminStatus"]
    assert run(catalog, change("RestrictExperience", exp, {}))["Status"] == "SUCCEEDED"
    assert details_of(catalog, exp)["AdminStatus"] != before
    assert run(catalog, change("ReviveExperience", exp, {}))["Status"] == "SUCCEEDED"
    assert details_of(catalog, exp)["AdminStatus"] == before


def test_legacy_details_string_is_accepted(ready: tuple[Catalog, str]) -> None:
    catalog, exp = ready
    legacy = {
        "ChangeType": "UpdateExperience",
        "Entity": {"Type": EXPERIENCE, "Identifier": exp},
        "Details": json.dumps({"Description": "via Details"}),
    }
    assert run(catalog, legacy)["Status"] == "SUCCEEDED"
    assert details_of(catalog, exp)["Description"] == "via Details"


def test_every_change_bumps_the_revision(ready: tuple[Catalog, str]) -> None:
    catalog, exp = ready
    before = catalog.client.describe_entity(Catalog="AWSMarketplace", EntityId=exp)
    run(catalog, change("UpdateExperience", exp, {"Description": "bump"}))
    after = catalog.client.describe_entity(Catalog="AWSMarketplace", EntityId=exp)
    revision = int(before["EntityIdentifier"].split("@")[1])
    assert after["EntityIdentifier"] == f"{exp}@{revision + 1}"


FIFTY_ONE = [f"prod-{n:04d}" for n in range(51)]
REQUESTS_ALLOWED = {"Configuration": {"PolicyResourceRequests": "Allow"}}
REQUESTS_MAYBE = {"Configuration": {"PolicyResourceRequests": "Maybe"}}
UNIQUE = "Values in Ids array must be unique"
CUMULATIVE = "Cumulative number of values in Ids array must be less than or equal to 50"

INVALID: list[tuple[str, str, dict[str, Any], str]] = [
    ("missing-name", "CreateExperience", {}, "Name"),
    ("long-name", "CreateExperience", {"Name": "x" * 51}, "Name"),
    ("bad-name", "CreateExperience", {"Name": "no/slashes"}, "Name"),
    ("bad-status", "UpdateExperience", {"Status": "Live"}, "Status"),
    ("bad-color", "UpdateBrandingSettings", {"Configuration": {"ThemeColor": "blue"}}, "Theme"),
    ("bad-logo", "UpdateBrandingSettings", {"Configuration": {"LogoUrl": "ftp://x"}}, "Logo"),
    ("bad-requests", "UpdateProcurementPolicy", REQUESTS_MAYBE, "PolicyResourceRequests"),
    ("no-principals", "AssociateAudience", {"Principals": []}, "Principals"),
    ("dup-ids", "AllowProductProcurement", {"Products": [{"Ids": [PRODUCT_A, PRODUCT_A]}]}, UNIQUE),
    ("too-many-ids", "DenyProductProcurement", {"Products": [{"Ids": FIFTY_ONE}]}, CUMULATIVE),
    ("restrict-body", "RestrictExperience", {"Force": True}, "Force"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change_type", "details", "fragment"),
    [v[1:] for v in INVALID],
    ids=[v[0] for v in INVALID],
)
def test_invalid_details_are_refused_with_a_validation_exception(
    ready: tuple[Catalog, str],
    error_of: Any,
    change_type: str,
    details: dict[str, Any],
    fragment: str,
) -> None:
    catalog, exp = ready
    identifier = None if change_type == "CreateExperience" else exp
    with pytest.raises(ClientError) as raised:
        catalog.start(change(change_type, identifier, details))
    code, status, message = error_of(raised)
    assert (code, status) == ("ValidationException", 422)
    fields = raised.value.response.get("ValidationExceptionFieldList", [])
    assert fragment in message + json.dumps(fields)


def test_malformed_details_string_is_refused_with_the_documented_message(
    ready: tuple[Catalog, str], error_of: Any
) -> None:
    catalog, exp = ready
    broken = {
        "ChangeType": "UpdateExperience",
        "Entity": {"Type": EXPERIENCE, "Identifier": exp},
        "Details": "{not json}",
    }
    with pytest.raises(ClientError) as raised:
        catalog.start(broken)
    code, status, message = error_of(raised)
    assert (code, status) == ("ValidationException", 422)
    assert "Document not valid JSON format" in message


@pytest.mark.parametrize(
    "envelope",
    [
        pytest.param({"ChangeType": "DeleteExperience"}, id="unknown-change-type"),
        pytest.param({"Details": "{}"}, id="details-and-document"),
        pytest.param({"Entity": {"Type": "Widget@1.0"}}, id="wrong-entity-type"),
    ],
)
def test_invalid_envelopes_are_refused(
    ready: tuple[Catalog, str], error_of: Any, envelope: dict[str, Any]
) -> None:
    catalog, exp = ready
    bad = {**change("UpdateExperience", exp, {"Description": "x"}), **envelope}
    if "Entity" in envelope:
        bad["Entity"] = {**envelope["Entity"], "Identifier": exp}
    with pytest.raises(ClientError) as raised:
        catalog.start(bad)
    assert error_of(raised)[:2] == ("ValidationException", 422)


def test_too_many_changes_in_one_set_are_refused(ready: tuple[Catalog, str], error_of: Any) -> None:
    catalog, exp = ready
    changes = [change("UpdateExperience", exp, {"Description": f"d{n}"}) for n in range(21)]
    with pytest.raises(ClientError) as raised:
        catalog.start(*changes)
    assert error_of(raised)[:2] == ("ValidationException", 422)


def test_the_same_change_type_twice_on_one_entity_is_refused(
    ready: tuple[Catalog, str], error_of: Any
) -> None:
    catalog, exp = ready
    with pytest.raises(ClientError) as raised:
        catalog.start(
            change("UpdateExperience", exp, {"Description": "one"}),
            change("UpdateExperience", exp, {"Description": "two"}),
        )
    assert error_of(raised)[:2] == ("ValidationException", 422)


def test_a_stale_revision_is_refused_naming_the_latest(
    ready: tuple[Catalog, str], error_of: Any
) -> None:
    catalog, exp = ready
    latest = catalog.client.describe_entity(Catalog="AWSMarketplace", EntityId=exp)
    revision = latest["EntityIdentifier"].split("@")[1]
    with pytest.raises(ClientError) as raised:
        catalog.start(change("UpdateExperience", f"{exp}@1", {"Description": "stale"}))
    code, status, message = error_of(raised)
    assert (code, status) == ("ValidationException", 422)
    assert revision in message


def test_an_unknown_experience_is_not_found(catalog: Catalog, error_of: Any) -> None:
    with pytest.raises(ClientError) as raised:
        catalog.start(change("UpdateExperience", "exp-doesnotexist", {"Description": "x"}))
    assert error_of(raised)[:2] == ("ResourceNotFoundException", 404)


SEMANTIC: list[tuple[str, str, dict[str, Any], str]] = [
    ("second-policy", "CreateProcurementPolicy", REQUESTS_ALLOWED, "ENTITY_ALREADY_EXISTS"),
    ("second-branding", "CreateBrandingSettings", {"Name": "again"}, "ENTITY_ALREADY_EXISTS"),
    ("disassociate-stranger", "DisassociateAudience", {"Principals": [ACCOUNT]}, ""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change_type", "details", "error_code"),
    [v[1:] for v in SEMANTIC],
    ids=[v[0] for v in SEMANTIC],
)
def test_business_rule_violations_fail_the_change_set_with_client_error(
    ready: tuple[Catalog, str], change_type: str, details: dict[str, Any], error_code: str
) -> None:
    catalog, exp = ready
    described = run(catalog, change(change_type, exp, details))
    assert described["Status"] == "FAILED"
    assert described["FailureCode"] == "CLIENT_ERROR"
    errors = [e["ErrorCode"] for c in described["ChangeSet"] for e in c.get("ErrorDetailList", [])]
    assert errors
    if error_code:
        assert error_code in errors


def test_products_need_a_procurement_policy(catalog: Catalog) -> None:
    exp = new_experience(catalog)
    described = run(
        catalog, change("AllowProductProcurement", exp, {"Products": [{"Ids": [PRODUCT_A]}]})
    )
    assert described["Status"] == "FAILED"
    details = described["ChangeSet"][0]["ErrorDetailList"]
    assert details[0]["ErrorCode"] == "ENTITY_NOT_FOUND"
    assert details[0]["ErrorMessage"] == "Procurement policy missing from Experience"


def test_a_principal_joins_only_one_experience(ready: tuple[Catalog, str]) -> None:
    catalog, _ = ready
    other = new_experience(catalog, "Other")
    described = run(catalog, change("AssociateAudience", other, {"Principals": [OU]}))
    assert described["Status"] == "FAILED"
    codes = [e["ErrorCode"] for e in described["ChangeSet"][0]["ErrorDetailList"]]
    assert codes == ["ENTITY_ALREADY_EXISTS"]
