"""Reading the PMP entity documents."""

from __future__ import annotations

from pmp_reconcile.catalog import parse
from pmp_reconcile.model import RequestPolicy, Status


def details(entity_id: str, revision: int, body: dict[str, object]) -> dict[str, object]:
    return {"EntityIdentifier": f"{entity_id}@{revision}", "DetailsDocument": body}


def test_experience_document() -> None:
    doc = parse.experience(
        details(
            "exp-1",
            3,
            {
                "Name": "Default",
                "Status": "Enabled",
                "AdminStatus": "Editable",
                "ProcurementPolicies": ["procpolicy-1"],
                "BrandingSettings": [],
            },
        )
    )
    assert doc.name == "Default"
    assert doc.status is Status.ENABLED
    assert not doc.archived
    assert doc.policy_id == "procpolicy-1"
    assert doc.branding_id is None


def test_any_admin_status_but_editable_reads_as_archived() -> None:
    doc = parse.experience(details("exp-1", 1, {"Name": "x", "AdminStatus": "Restricted"}))
    assert doc.archived
    assert doc.status is Status.DISABLED


def test_policy_statements_flatten_per_effect_with_notes() -> None:
    policy = parse.procurement_policy(
        details(
            "procpolicy-1",
            2,
            {
                "Statements": [
                    {"Effect": "Allow", "Resources": [{"Type": "Product", "Ids": ["a", "b"]}]},
                    {
                        "Effect": "Allow",
                        "Resources": [{"Type": "Product", "Ids": ["c"], "Notes": "SR-1"}],
                    },
                    {"Effect": "Deny", "Resources": [{"Type": "Product", "Ids": ["d", "b"]}]},
                ],
                "Configuration": {"PolicyResourceRequests": "Deny"},
            },
        )
    )
    assert policy.allowed == {"a", "c"}
    assert policy.denied == {"d", "b"}
    assert policy.notes == {"c": "SR-1"}
    assert policy.requests is RequestPolicy.DENY


def test_identifier_revision_and_audience() -> None:
    entity = parse.live_entity({"EntityIdentifier": "audience-9@12"})
    assert (entity.id, entity.revision, entity.identifier) == ("audience-9", "12", "audience-9@12")
    audience = parse.audience(
        details("audience-9", 12, {"ExperienceId": "exp-1", "Principals": ["111122223333"]})
    )
    assert audience.experience_id == "exp-1"
    assert audience.principals == {"111122223333"}


def test_branding_configuration() -> None:
    branding = parse.branding(
        details("brandsettings-1", 1, {"Configuration": {"Title": "T", "ThemeColor": "#000000"}})
    )
    assert branding.title == "T"
    assert branding.theme_color == "#000000"
    assert branding.logo_url is None
