"""Builders for the twelve PMP change types: the one place that knows each type's Details.

Every builder returns one element of StartChangeSet's ``ChangeSet`` list, with the Details as a
``DetailsDocument`` object (the API's non-legacy form). All PMP change types target the
``Experience@1.0`` entity, children (policy, branding, audiences) included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

EXPERIENCE_TYPE = "Experience@1.0"
CATALOG = "AWSMarketplace"
NEW_EXPERIENCE_CHANGE_NAME = "NewExperience"
#: Every change set this tool starts is named with this prefix (the reader knows its own).
CHANGE_SET_NAME_PREFIX = "pmp-reconcile "
#: Tags a change set may carry: the commit and the CI run that applied it.
COMMIT_TAG, RUN_TAG = "pmp-reconcile:commit", "pmp-reconcile:run"
CHANGE_SET_TAG_KEYS = (COMMIT_TAG, RUN_TAG)
NEW_EXPERIENCE_REFERENCE = f"${NEW_EXPERIENCE_CHANGE_NAME}.Entity.Identifier"
MAX_IDS_PER_CHANGE = 50
MAX_PRINCIPALS_PER_CHANGE = 50
MAX_CHANGES_PER_CHANGE_SET = 20
MAX_DETAILS_CHARS = 16_384
NAME_MAX = 50
_NAME_FORBIDDEN = re.compile(r"[^a-zA-Z0-9 _-]+")

Change = dict[str, Any]

BRANDING_FIELDS: Mapping[str, str] = {
    "title": "Title",
    "information": "Information",
    "theme_color": "ThemeColor",
    "logo_url": "LogoUrl",
}


def entity_name(text: str, suffix: str = "") -> str:
    """A child-entity Name within the API's rule (letters, digits, space, _ and -; ≤ 50)."""
    cleaned = _NAME_FORBIDDEN.sub("-", text).strip("- ") or "experience"
    room = NAME_MAX - len(suffix)
    return f"{cleaned[:room].rstrip('- ')}{suffix}"


def _change(change_type: str, identifier: str | None, details: Mapping[str, Any]) -> Change:
    entity: dict[str, str] = {"Type": EXPERIENCE_TYPE}
    if identifier is not None:
        entity["Identifier"] = identifier
    return {"ChangeType": change_type, "Entity": entity, "DetailsDocument": dict(details)}


def create_experience(name: str, description: str | None) -> Change:
    details: dict[str, Any] = {"Name": name}
    if description is not None:
        details["Description"] = description
    change = _change("CreateExperience", None, details)
    change["ChangeName"] = NEW_EXPERIENCE_CHANGE_NAME
    return change


def update_experience(
    identifier: str,
    *,
    name: str | None = None,
    description: str | None = None,
    status: str | None = None,
) -> Change:
    """``status`` is the API value (``Enabled``/``Disabled``); None fields are not sent."""
    details = {
        key: value
        for key, value in (("Name", name), ("Description", description), ("Status", status))
        if value is not None
    }
    return _change("UpdateExperience", identifier, details)


def restrict_experience(identifier: str) -> Change:
    return _change("RestrictExperience", identifier, {})


def revive_experience(identifier: str) -> Change:
    return _change("ReviveExperience", identifier, {})


def create_procurement_policy(identifier: str, name: str, requests: str) -> Change:
    details = {"Name": name, "Configuration": {"PolicyResourceRequests": requests}}
    return _change("CreateProcurementPolicy", identifier, details)


def update_procurement_policy(identifier: str, requests: str) -> Change:
    details = {"Configuration": {"PolicyResourceRequests": requests}}
    return _change("UpdateProcurementPolicy", identifier, details)


def branding_configuration(fields: Mapping[str, str | None]) -> dict[str, str]:
    """Our field names → the API's Configuration members, dropping unset ones."""
    return {BRANDING_FIELDS[k]: v for k, v in fields.items() if v is not None}


def create_branding_settings(
    identifier: str, name: str, fields: Mapping[str, str | None]
) -> Change:
    details: dict[str, Any] = {"Name": name}
    configuration = branding_configuration(fields)
    if configuration:
        details["Configuration"] = configuration
    return _change("CreateBrandingSettings", identifier, details)


def update_branding_settings(identifier: str, fields: Mapping[str, str | None]) -> Change:
    return _change(
        "UpdateBrandingSettings", identifier, {"Configuration": branding_configuration(fields)}
    )


def _principals_change(change_type: str, identifier: str, principals: Iterable[str]) -> Change:
    members = sorted(principals)
    if not 1 <= len(members) <= MAX_PRINCIPALS_PER_CHANGE:
        raise ValueError(f"{change_type} takes 1-{MAX_PRINCIPALS_PER_CHANGE} principals")
    return _change(change_type, identifier, {"Principals": members})


def associate_audience(identifier: str, principals: Iterable[str]) -> Change:
    return _principals_change("AssociateAudience", identifier, principals)


def disassociate_audience(identifier: str, principals: Iterable[str]) -> Change:
    return _principals_change("DisassociateAudience", identifier, principals)


def product_groups(ids: Sequence[str], notes: Mapping[str, str]) -> list[dict[str, Any]]:
    """Group product ids by their note (one ``Products`` element per distinct note)."""
    groups: dict[str | None, list[str]] = {}
    for product in ids:
        groups.setdefault(notes.get(product), []).append(product)
    result: list[dict[str, Any]] = []
    for note, members in sorted(groups.items(), key=lambda item: (item[0] is not None, item[0])):
        element: dict[str, Any] = {"Ids": members}
        if note is not None:
            element["Notes"] = note
        result.append(element)
    return result


def _products_change(
    change_type: str, identifier: str, ids: Sequence[str], notes: Mapping[str, str]
) -> Change:
    if not 1 <= len(ids) <= MAX_IDS_PER_CHANGE or len(set(ids)) != len(ids):
        raise ValueError(f"{change_type} takes 1-{MAX_IDS_PER_CHANGE} distinct product ids")
    return _change(change_type, identifier, {"Products": product_groups(ids, notes)})


def allow_products(identifier: str, ids: Sequence[str], notes: Mapping[str, str]) -> Change:
    return _products_change("AllowProductProcurement", identifier, ids, notes)


def deny_products(identifier: str, ids: Sequence[str], notes: Mapping[str, str]) -> Change:
    return _products_change("DenyProductProcurement", identifier, ids, notes)


def details_size(change: Change) -> int:
    """Characters of the change's Details as the API counts them (compact JSON)."""
    return len(json.dumps(change.get("DetailsDocument", {}), separators=(",", ":")))


def with_identifier(change: Change, identifier: str) -> Change:
    """A copy of ``change`` targeting ``identifier`` (resolving plan references at apply)."""
    entity = {**change["Entity"], "Identifier": identifier}
    return {**change, "Entity": entity}
