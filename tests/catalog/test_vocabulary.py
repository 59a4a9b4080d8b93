"""The Catalog vocabulary is complete wherever it is derived: a new change type or branding
member cannot reach AWS without a builder, a place in the packing order and the IAM grant."""

from __future__ import annotations

from dataclasses import asdict, fields

import pytest

from pmp_reconcile.catalog import changes
from pmp_reconcile.catalog.vocabulary import (
    BRANDING_MEMBERS,
    EXPERIENCE_TEXT_MEMBERS,
    REQUESTS_WIRE,
    STATUS_WIRE,
    ChangeType,
    branding_of,
    requests_of,
    status_of,
)
from pmp_reconcile.desired.schema import BrandingFile, ExperienceFile
from pmp_reconcile.model import EXPERIENCE_TEXTS, Branding, Experience, RequestPolicy, Status
from pmp_reconcile.org.policies import Role, permissions_policy
from pmp_reconcile.plan.pack import CHANGE_ORDER, within_limits
from pmp_reconcile.plan.values import ActionKind


def _granted_change_types() -> set[str]:
    policy = permissions_policy(Role.APPLY)
    starts = [s for s in policy["Statement"] if "aws-marketplace:StartChangeSet" in s["Action"]]
    assert len(starts) == 1
    return set(starts[0]["Condition"]["StringEquals"]["catalog:ChangeType"])


@pytest.mark.parametrize("change_type", list(ChangeType))
def test_every_change_type_has_a_builder_an_order_and_a_grant(change_type: ChangeType) -> None:
    assert changes.BUILDERS[change_type].__name__
    assert CHANGE_ORDER.count(change_type) == 1
    assert change_type.value in _granted_change_types()


def test_the_apply_role_grants_exactly_the_change_types_sent() -> None:
    assert _granted_change_types() == {c.value for c in ChangeType}
    assert len(CHANGE_ORDER) == len(ChangeType) == len(changes.BUILDERS)


def test_each_builder_makes_its_own_change_type() -> None:
    made = [
        changes.create_experience("Finance", {}),
        changes.update_experience("exp-1", status=Status.ENABLED),
        changes.restrict_experience("exp-1"),
        changes.revive_experience("exp-1"),
        changes.create_procurement_policy("exp-1", "p", RequestPolicy.DENY),
        changes.update_procurement_policy("exp-1", RequestPolicy.ALLOW),
        changes.create_branding_settings("exp-1", "b", {"title": "T"}),
        changes.update_branding_settings("exp-1", {"title": "T"}),
        changes.associate_audience("exp-1", ["111122223333"]),
        changes.disassociate_audience("exp-1", ["111122223333"]),
        changes.allow_products("exp-1", ["prod-a"], {}),
        changes.deny_products("exp-1", ["prod-a"], {}),
    ]
    assert [changes.change_type(c) for c in made] == list(changes.BUILDERS)


def test_branding_members_are_the_model_and_file_fields() -> None:
    assert (
        list(BRANDING_MEMBERS)
        == [f.name for f in fields(Branding)]
        == list(BrandingFile.model_fields)
    )


def test_branding_reads_back_what_is_sent() -> None:
    branding = Branding(title="T", information="I", theme_color="#000000", logo_url="https://x")
    sent = changes.branding_configuration(asdict(branding))
    assert branding_of(sent) == branding


@pytest.mark.parametrize("status", list(Status))
def test_status_reads_back_what_is_sent(status: Status) -> None:
    assert status_of(STATUS_WIRE[status]) is status


@pytest.mark.parametrize("requests", list(RequestPolicy))
def test_requests_read_back_what_is_sent(requests: RequestPolicy) -> None:
    assert requests_of(REQUESTS_WIRE[requests]) is requests


def test_a_change_set_over_the_api_limits_is_refused_when_packed() -> None:
    one = changes.revive_experience("exp-1")
    with pytest.raises(ValueError, match="changes in one change set"):
        within_limits([one] * (changes.MAX_CHANGES_PER_CHANGE_SET + 1))
    huge = changes.update_experience(
        "exp-1", texts={"description": "x" * changes.MAX_DETAILS_CHARS}
    )
    with pytest.raises(ValueError, match="Details over"):
        within_limits([huge])


@pytest.mark.parametrize("field", EXPERIENCE_TEXTS)
def test_every_experience_text_is_modelled_filed_sent_and_shown(field: str) -> None:
    assert field in {f.name for f in fields(Experience)}
    assert field in ExperienceFile.model_fields
    assert field in EXPERIENCE_TEXT_MEMBERS
    assert ActionKind.of(f"set_{field}").label


def test_experience_texts_are_sent_by_create_and_update() -> None:
    texts = {field: f"{field} text" for field in EXPERIENCE_TEXTS}
    expected = {EXPERIENCE_TEXT_MEMBERS[f]: v for f, v in texts.items()}
    created = changes.create_experience("Finance", texts)["DetailsDocument"]
    updated = changes.update_experience("exp-1", texts=texts)["DetailsDocument"]
    assert created == {"Name": "Finance", **expected}
    assert updated == expected
