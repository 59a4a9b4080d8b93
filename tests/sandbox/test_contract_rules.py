"""The rules the docs leave to the sandbox, the rest of the documented error codes, and the
options that switch the strict choices off (see the ``state`` module docstring)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from pmp_reconcile.sandbox import SandboxSettings, StateOptions, progression

if TYPE_CHECKING:
    from tests.sandbox.conftest import Catalog, MakeCatalog

EXPERIENCE = "Experience@1.0"
OU = "ou-ab12-cdef3456"
ACCOUNT = "210987654321"
PRODUCT = "0f1e2d3c-aaaa-bbbb-cccc-112233445566"
POLICY = {"Configuration": {"PolicyResourceRequests": "Allow"}}


def change(change_type: str, identifier: str | None, details: Any, **extra: Any) -> dict[str, Any]:
    entity: dict[str, Any] = {"Type": EXPERIENCE}
    if identifier is not None:
        entity["Identifier"] = identifier
    return {"ChangeType": change_type, "Entity": entity, "DetailsDocument": details, **extra}


def run(catalog: Catalog, *changes: dict[str, Any]) -> dict[str, Any]:
    return catalog.describe(catalog.start(*changes))


def codes(described: dict[str, Any]) -> list[str]:
    return [e["ErrorCode"] for c in described["ChangeSet"] for e in c["ErrorDetailList"]]


def experience(catalog: Catalog, name: str = "Exp", *extra: dict[str, Any]) -> str:
    ref = "$New.Entity.Identifier"
    more = [{**c, "Entity": {"Type": EXPERIENCE, "Identifier": ref}} for c in extra]
    described = run(
        catalog, change("CreateExperience", None, {"Name": name}, ChangeName="New"), *more
    )
    assert described["Status"] == "SUCCEEDED", described
    return str(described["ChangeSet"][0]["Entity"]["Identifier"]).split("@")[0]


def details(catalog: Catalog, entity_id: str) -> dict[str, Any]:
    reply = catalog.client.describe_entity(Catalog="AWSMarketplace", EntityId=entity_id)
    return dict(reply["DetailsDocument"])


def identifier(catalog: Catalog, entity_id: str) -> str:
    reply = catalog.client.describe_entity(Catalog="AWSMarketplace", EntityId=entity_id)
    return str(reply["EntityIdentifier"])


def refused(catalog: Catalog, *changes: dict[str, Any], **extra: Any) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as raised:
        catalog.start(*changes, **extra)
    response = raised.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"] + json.dumps(response.get("ValidationExceptionFieldList")),
    )


# -- documented business error codes ------------------------------------------------------

LOGO = {"Name": "b", "Configuration": {"LogoUrl": "https://logo.invalid/a.png"}}
JPEG = {"Configuration": {"LogoUrl": "https://example.org/a.jpg"}}
BRANDING = change("CreateBrandingSettings", "", {"Name": "b"})
ONE_PRODUCT = {"Products": [{"Ids": [PRODUCT]}]}
ENABLE = change("UpdateExperience", "", {"Status": "Enabled"})
RESTRICT = change("RestrictExperience", "", {})

FAILURES: list[tuple[str, list[dict[str, Any]], dict[str, Any], str]] = [
    ("update-no-policy", [], change("UpdateProcurementPolicy", "", POLICY), "ENTITY_NOT_FOUND"),
    ("deny-no-policy", [], change("DenyProductProcurement", "", ONE_PRODUCT), "ENTITY_NOT_FOUND"),
    ("update-no-branding", [], change("UpdateBrandingSettings", "", {}), "ENTITY_NOT_FOUND"),
    ("unreachable-logo", [], change("CreateBrandingSettings", "", LOGO), "INVALID_URL"),
    ("jpeg-logo", [BRANDING], change("UpdateBrandingSettings", "", JPEG), "INVALID_IMAGE"),
    ("archive-enabled", [ENABLE], RESTRICT, "INVALID_STATE"),
    ("revive-active", [], change("ReviveExperience", "", {}), "INVALID_STATE"),
    ("update-archived", [RESTRICT], change("UpdateExperience", "", {"Name": "x"}), "INVALID_STATE"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("setup", "failing", "code"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
def test_business_failures_carry_the_error_code(
    catalog: Catalog, setup: list[dict[str, Any]], failing: dict[str, Any], code: str
) -> None:
    exp = experience(catalog)
    for step in setup:
        assert (
            run(catalog, {**step, "Entity": {"Type": EXPERIENCE, "Identifier": exp}})["Status"]
            == "SUCCEEDED"
        )
    described = run(catalog, {**failing, "Entity": {"Type": EXPERIENCE, "Identifier": exp}})
    assert (described["Status"], described["FailureCode"]) == ("FAILED", "CLIENT_ERROR")
    assert codes(described) == [code]


def test_a_foreign_organization_is_not_authorized(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(SandboxSettings(state=StateOptions(organization_id="o-abcdefghij")))
    exp = experience(catalog)
    described = run(catalog, change("AssociateAudience", exp, {"Principals": ["o-zzzzzzzzzz"]}))
    assert codes(described) == ["CALLER_NOT_AUTHORIZED"]
    assert (
        run(catalog, change("AssociateAudience", exp, {"Principals": ["o-abcdefghij"]}))["Status"]
        == "SUCCEEDED"
    )


def test_a_principal_in_another_open_change_set_is_in_use(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(SandboxSettings(state=StateOptions(progression=progression("seconds"))))
    one, two = _settled_experiences(catalog, 2)
    first = catalog.start(change("AssociateAudience", one, {"Principals": [ACCOUNT]}))
    second = catalog.start(change("AssociateAudience", two, {"Principals": [ACCOUNT]}))
    catalog.clock.advance(5)
    assert catalog.describe(first)["Status"] == "SUCCEEDED"
    assert codes(catalog.describe(second)) == ["ENTITY_IN_USE"]


def _settled_experiences(catalog: Catalog, count: int) -> list[str]:
    ids = []
    for index in range(count):
        change_set = catalog.start(change("CreateExperience", None, {"Name": f"E{index}"}))
        catalog.clock.advance(5)
        described = catalog.describe(change_set)
        ids.append(str(described["ChangeSet"][0]["Entity"]["Identifier"]).split("@")[0])
    return ids


# -- revisions, atomicity, moves, audiences ------------------------------------------------


def test_child_changes_bump_the_child_and_the_experience(catalog: Catalog) -> None:
    exp = experience(catalog, "Exp", change("CreateProcurementPolicy", None, POLICY))
    policy = details(catalog, exp)["ProcurementPolicies"][0]
    assert identifier(catalog, policy) == f"{policy}@1"
    before = int(identifier(catalog, exp).split("@")[1])
    run(catalog, change("AllowProductProcurement", exp, {"Products": [{"Ids": [PRODUCT]}]}))
    assert identifier(catalog, policy) == f"{policy}@2"
    assert identifier(catalog, exp) == f"{exp}@{before + 1}"


def test_deny_moves_a_product_out_of_allow_and_notes_are_replaced(catalog: Catalog) -> None:
    exp = experience(catalog, "Exp", change("CreateProcurementPolicy", None, POLICY))
    allow = {"Products": [{"Ids": [PRODUCT], "Notes": "approved"}]}
    run(catalog, change("AllowProductProcurement", exp, allow))
    run(catalog, change("DenyProductProcurement", exp, {"Products": [{"Ids": [PRODUCT]}]}))
    policy = details(catalog, details(catalog, exp)["ProcurementPolicies"][0])
    assert policy["Statements"] == [
        {"Effect": "Deny", "Resources": [{"Type": "Product", "Ids": [PRODUCT]}]}
    ]


def test_a_failed_change_set_applies_nothing(catalog: Catalog) -> None:
    exp = experience(catalog)
    described = run(
        catalog,
        change("UpdateExperience", exp, {"Description": "kept?"}),
        change("UpdateProcurementPolicy", exp, POLICY),
    )
    assert described["Status"] == "FAILED"
    assert codes(described) == ["ENTITY_NOT_FOUND"]
    assert "Description" not in details(catalog, exp)
    assert identifier(catalog, exp) == f"{exp}@1"


def test_without_atomicity_the_good_changes_stay(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(SandboxSettings(state=StateOptions(atomic=False)))
    exp = experience(catalog)
    described = run(
        catalog,
        change("UpdateExperience", exp, {"Description": "kept"}),
        change("UpdateProcurementPolicy", exp, POLICY),
    )
    assert described["Status"] == "FAILED"
    assert details(catalog, exp)["Description"] == "kept"


@pytest.mark.parametrize("allowed", [False, True])
def test_a_move_inside_one_change_set(make_catalog: MakeCatalog, allowed: bool) -> None:
    options = StateOptions(allow_move_in_one_change_set=allowed)
    catalog = make_catalog(SandboxSettings(state=options))
    old = experience(catalog, "Old", change("AssociateAudience", None, {"Principals": [ACCOUNT]}))
    new = experience(catalog, "New")
    described = run(
        catalog,
        change("DisassociateAudience", old, {"Principals": [ACCOUNT]}),
        change("AssociateAudience", new, {"Principals": [ACCOUNT]}),
    )
    assert described["Status"] == ("SUCCEEDED" if allowed else "FAILED")
    if not allowed:
        assert codes(described) == ["ENTITY_ALREADY_EXISTS"]


def _audiences(catalog: Catalog, exp: str) -> list[dict[str, Any]]:
    listed = catalog.client.list_entities(Catalog="AWSMarketplace", EntityType="Audience")
    found = [details(catalog, s["EntityId"]) for s in listed["EntitySummaryList"]]
    return [a for a in found if a["ExperienceId"] == exp]


@pytest.mark.parametrize(("mode", "count"), [("per_change", 2), ("per_experience", 1)])
def test_audience_entities_per_association_or_per_experience(
    make_catalog: MakeCatalog, mode: str, count: int
) -> None:
    catalog = make_catalog(SandboxSettings(state=StateOptions(audiences=mode)))  # type: ignore[arg-type]
    exp = experience(catalog)
    run(catalog, change("AssociateAudience", exp, {"Principals": [ACCOUNT], "Name": "first"}))
    run(catalog, change("AssociateAudience", exp, {"Principals": [OU, ACCOUNT]}))
    audiences = _audiences(catalog, exp)
    assert len(audiences) == count
    assert sorted(p for a in audiences for p in a["Principals"]) == sorted([ACCOUNT, OU])
    run(catalog, change("DisassociateAudience", exp, {"Principals": [ACCOUNT, OU]}))
    assert [a["Principals"] for a in _audiences(catalog, exp)] == [[]] * count


# -- synchronous refusals -----------------------------------------------------------------

BARE = {"ChangeType": "RestrictExperience", "Entity": {"Type": EXPERIENCE, "Identifier": "X"}}
HUGE = {"Description": "d" * 900, "Name": "n", "Junk": ["x" * 100] * 170}
HUGE_TEXT = {**BARE, "ChangeType": "UpdateExperience", "Details": json.dumps({"D": "d" * 17000})}
UNVERSIONED = {**BARE, "DetailsDocument": {}, "Entity": {"Type": "Experience", "Identifier": "X"}}
CREATE_WITH_ID = {**change("CreateExperience", None, {"Name": "n"}), "Entity": BARE["Entity"]}
LONG_TEXT = {"Description": "d" * 101}
LONG_NOTE = {"Products": [{"Ids": [PRODUCT], "Notes": "n" * 51}]}

ENVELOPES: list[tuple[str, dict[str, Any], str]] = [
    ("no-details", BARE, "exactly one"),
    ("huge-document", change("UpdateExperience", "X", HUGE), "16384"),
    ("huge-string", HUGE_TEXT, "16384"),
    ("digit-change-name", change("UpdateExperience", "X", {}, ChangeName="Step1"), "ChangeName"),
    ("unversioned-type", UNVERSIONED, "Experience@1.0"),
    ("create-with-id", CREATE_WITH_ID, "Identifier"),
    ("unknown-reference", change("UpdateExperience", "$Nope.Entity.Identifier", {}), "Nope"),
    ("root-principal", change("AssociateAudience", "X", {"Principals": ["r-ab12"]}), "Principals"),
    ("long-note", change("AllowProductProcurement", "X", LONG_NOTE), "Notes"),
    ("policy-description", change("CreateProcurementPolicy", "X", LONG_TEXT), "Description"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("bad", "fragment"), [e[1:] for e in ENVELOPES], ids=[e[0] for e in ENVELOPES]
)
def test_malformed_changes_are_validation_errors(
    catalog: Catalog, bad: dict[str, Any], fragment: str
) -> None:
    exp = experience(catalog)
    text = json.dumps(bad).replace('"X"', json.dumps(exp))
    code, status, message = refused(catalog, json.loads(text))
    assert (code, status) == ("ValidationException", 422)
    assert fragment in message


def test_change_names_are_unique_and_references_point_back(catalog: Catalog) -> None:
    exp = experience(catalog)
    twice = refused(
        catalog,
        change("UpdateExperience", exp, {}, ChangeName="Same"),
        change("UpdateProcurementPolicy", exp, POLICY, ChangeName="Same"),
    )
    assert twice[:2] == ("ValidationException", 422)
    forward = refused(
        catalog,
        change("UpdateExperience", "$Later.Entity.Identifier", {}),
        change("CreateExperience", None, {"Name": "Later"}, ChangeName="Later"),
    )
    assert forward[:2] == ("ValidationException", 422)


def test_intent_validate_is_refused(catalog: Catalog) -> None:
    code, _, message = refused(
        catalog, change("CreateExperience", None, {"Name": "n"}), Intent="VALIDATE"
    )
    assert code == "ValidationException"
    assert "VALIDATE" in message


def test_a_reused_token_with_another_request_is_refused(catalog: Catalog) -> None:
    catalog.start(change("CreateExperience", None, {"Name": "A"}), ClientRequestToken="t-1")
    code, status, _ = refused(
        catalog, change("CreateExperience", None, {"Name": "B"}), ClientRequestToken="t-1"
    )
    assert (code, status) == ("ValidationException", 422)


def test_a_retried_token_answers_even_while_its_change_set_holds_the_lock(
    make_catalog: MakeCatalog,
) -> None:
    catalog = make_catalog(SandboxSettings(state=StateOptions(progression=progression("seconds"))))
    (exp,) = _settled_experiences(catalog, 1)
    update = change("UpdateExperience", exp, {"Description": "once"})
    first = catalog.start(update, ClientRequestToken="t-2")
    assert catalog.start(update, ClientRequestToken="t-2") == first


def test_cancel_while_applying_is_in_use(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(SandboxSettings(state=StateOptions(progression=progression("seconds"))))
    change_set = catalog.start(change("CreateExperience", None, {"Name": "n"}))
    catalog.clock.advance(1)
    with pytest.raises(ClientError) as raised:
        catalog.client.cancel_change_set(Catalog="AWSMarketplace", ChangeSetId=change_set)
    assert raised.value.response["Error"]["Code"] == "ResourceInUseException"


def test_describes_mode_reports_each_state_n_times(make_catalog: MakeCatalog) -> None:
    settings = SandboxSettings(
        state=StateOptions(progression=progression("describes", describes=3))
    )
    catalog = make_catalog(settings)
    change_set = catalog.start(change("CreateExperience", None, {"Name": "n"}))
    statuses = [catalog.describe(change_set)["Status"] for _ in range(7)]
    assert statuses == ["PREPARING"] * 3 + ["APPLYING"] * 3 + ["SUCCEEDED"]


def test_seconds_mode_ends_on_schedule_even_if_read_late(make_catalog: MakeCatalog) -> None:
    settings = SandboxSettings(state=StateOptions(progression=progression("seconds", seconds=2)))
    catalog = make_catalog(settings)
    described = catalog.describe(catalog.start(change("CreateExperience", None, {"Name": "n"})))
    catalog.clock.advance(3600)
    ended = catalog.describe(described["ChangeSetId"])
    assert ended["StartTime"] == "2024-01-01T00:00:00Z"
    assert ended["EndTime"] == "2024-01-01T00:00:04Z"


def test_only_listed_delegated_admins_may_call(make_catalog: MakeCatalog) -> None:
    options = StateOptions(delegated_admins=["444455556666"])
    catalog = make_catalog(
        SandboxSettings(state=options, callers={"AKIDA": "444455556666", "AKIDB": "999988887777"})
    )
    shared = [{"Name": "Scope", "ValueList": ["SharedWithMe"]}]
    admin = catalog.client_as("AKIDA")
    admin.list_entities(Catalog="AWSMarketplace", EntityType="Experience", FilterList=shared)  # type: ignore[arg-type]
    with pytest.raises(ClientError) as raised:
        catalog.client_as("AKIDB").list_entities(Catalog="AWSMarketplace", EntityType="Experience")
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_tags_on_changes_and_change_sets(catalog: Catalog) -> None:
    change_set = catalog.start(
        change("CreateExperience", None, {"Name": "n"}, EntityTags=[{"Key": "k", "Value": "e"}]),
        ChangeSetTags=[{"Key": "k", "Value": "cs"}],
    )
    described = catalog.describe(change_set)
    exp = str(described["ChangeSet"][0]["Entity"]["Identifier"]).split("@")[0]
    arn = catalog.client.describe_entity(Catalog="AWSMarketplace", EntityId=exp)["EntityArn"]
    entity_tags = catalog.client.list_tags_for_resource(ResourceArn=arn)["Tags"]
    set_tags = catalog.client.list_tags_for_resource(ResourceArn=described["ChangeSetArn"])["Tags"]
    assert (entity_tags, set_tags) == ([{"Key": "k", "Value": "e"}], [{"Key": "k", "Value": "cs"}])
