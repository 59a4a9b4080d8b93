"""Builders for the twelve PMP change types: the one place that knows each type's Details.

Every builder returns one element of StartChangeSet's ``ChangeSet`` list, with the Details as a
``DetailsDocument`` object (the API's non-legacy form). All PMP change types target the
``Experience@1.0`` entity, children (policy, branding, audiences) included. Builders take our
values (enums, model field names); :mod:`vocabulary` turns them into the API's words.
:data:`BUILDERS` names the builder of every :class:`ChangeType` (a test holds it complete).

``identifier`` None leaves ``Entity.Identifier`` out: the change is for an experience that an
earlier change set of the plan creates, and apply fills in the id AWS gave it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from pmp_reconcile.catalog.vocabulary import (
    BRANDING_MEMBERS,
    EXPERIENCE_TEXT_MEMBERS,
    EXPERIENCE_TYPE,
    REQUESTS_WIRE,
    STATUS_WIRE,
    ChangeType,
)
from pmp_reconcile.model import RequestPolicy, Status

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
Target = str | None


def entity_name(text: str, suffix: str = "") -> str:
    """A child-entity Name within the API's rule (letters, digits, space, _ and -; ≤ 50)."""
    cleaned = _NAME_FORBIDDEN.sub("-", text).strip("- ") or "experience"
    room = NAME_MAX - len(suffix)
    return f"{cleaned[:room].rstrip('- ')}{suffix}"


def _change(change_type: ChangeType, identifier: Target, details: Mapping[str, Any]) -> Change:
    entity: dict[str, str] = {"Type": EXPERIENCE_TYPE}
    if identifier is not None:
        entity["Identifier"] = identifier
    return {"ChangeType": change_type.value, "Entity": entity, "DetailsDocument": dict(details)}


def _texts(texts: Mapping[str, str | None]) -> dict[str, str]:
    """Experience texts (model field names) → Details members, dropping unset ones."""
    return {EXPERIENCE_TEXT_MEMBERS[k]: v for k, v in texts.items() if v is not None}


def create_experience(name: str, texts: Mapping[str, str | None]) -> Change:
    details: dict[str, Any] = {"Name": name, **_texts(texts)}
    change = _change(ChangeType.CREATE_EXPERIENCE, None, details)
    change["ChangeName"] = NEW_EXPERIENCE_CHANGE_NAME
    return change


def update_experience(
    identifier: Target,
    *,
    name: str | None = None,
    texts: Mapping[str, str | None] = MappingProxyType({}),
    status: Status | None = None,
) -> Change:
    """None fields are not sent."""
    details: dict[str, Any] = {"Name": name} if name is not None else {}
    details.update(_texts(texts))
    if status is not None:
        details["Status"] = STATUS_WIRE[status]
    return _change(ChangeType.UPDATE_EXPERIENCE, identifier, details)


def restrict_experience(identifier: Target) -> Change:
    return _change(ChangeType.RESTRICT_EXPERIENCE, identifier, {})


def revive_experience(identifier: Target) -> Change:
    return _change(ChangeType.REVIVE_EXPERIENCE, identifier, {})


def _requests(requests: RequestPolicy) -> dict[str, str]:
    return {"PolicyResourceRequests": REQUESTS_WIRE[requests]}


def create_procurement_policy(identifier: Target, name: str, requests: RequestPolicy) -> Change:
    details = {"Name": name, "Configuration": _requests(requests)}
    return _change(ChangeType.CREATE_PROCUREMENT_POLICY, identifier, details)


def update_procurement_policy(identifier: Target, requests: RequestPolicy) -> Change:
    details = {"Configuration": _requests(requests)}
    return _change(ChangeType.UPDATE_PROCUREMENT_POLICY, identifier, details)


def branding_configuration(fields: Mapping[str, str | None]) -> dict[str, str]:
    """Our field names → the API's Configuration members, dropping unset ones."""
    return {BRANDING_MEMBERS[k]: v for k, v in fields.items() if v is not None}


def create_branding_settings(
    identifier: Target, name: str, fields: Mapping[str, str | None]
) -> Change:
    details: dict[str, Any] = {"Name": name}
    configuration = branding_configuration(fields)
    if configuration:
        details["Configuration"] = configuration
    return _change(ChangeType.CREATE_BRANDING_SETTINGS, identifier, details)


def update_branding_settings(identifier: Target, fields: Mapping[str, str | None]) -> Change:
    configuration = {"Configuration": branding_configuration(fields)}
    return _change(ChangeType.UPDATE_BRANDING_SETTINGS, identifier, configuration)


def _principals_change(
    change_type: ChangeType, identifier: Target, principals: Iterable[str]
) -> Change:
    members = sorted(principals)
    if not 1 <= len(members) <= MAX_PRINCIPALS_PER_CHANGE:
        raise ValueError(f"{change_type.value} takes 1-{MAX_PRINCIPALS_PER_CHANGE} principals")
    return _change(change_type, identifier, {"Principals": members})


def associate_audience(identifier: Target, principals: Iterable[str]) -> Change:
    return _principals_change(ChangeType.ASSOCIATE_AUDIENCE, identifier, principals)


def disassociate_audience(identifier: Target, principals: Iterable[str]) -> Change:
    return _principals_change(ChangeType.DISASSOCIATE_AUDIENCE, identifier, principals)


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
    change_type: ChangeType, identifier: Target, ids: Sequence[str], notes: Mapping[str, str]
) -> Change:
    if not 1 <= len(ids) <= MAX_IDS_PER_CHANGE or len(set(ids)) != len(ids):
        raise ValueError(f"{change_type.value} takes 1-{MAX_IDS_PER_CHANGE} distinct product ids")
    return _change(change_type, identifier, {"Products": product_groups(ids, notes)})


def allow_products(identifier: Target, ids: Sequence[str], notes: Mapping[str, str]) -> Change:
    return _products_change(ChangeType.ALLOW_PRODUCT_PROCUREMENT, identifier, ids, notes)


def deny_products(identifier: Target, ids: Sequence[str], notes: Mapping[str, str]) -> Change:
    return _products_change(ChangeType.DENY_PRODUCT_PROCUREMENT, identifier, ids, notes)


BUILDERS: Mapping[ChangeType, Callable[..., Change]] = {
    ChangeType.CREATE_EXPERIENCE: create_experience,
    ChangeType.UPDATE_EXPERIENCE: update_experience,
    ChangeType.RESTRICT_EXPERIENCE: restrict_experience,
    ChangeType.REVIVE_EXPERIENCE: revive_experience,
    ChangeType.CREATE_PROCUREMENT_POLICY: create_procurement_policy,
    ChangeType.UPDATE_PROCUREMENT_POLICY: update_procurement_policy,
    ChangeType.CREATE_BRANDING_SETTINGS: create_branding_settings,
    ChangeType.UPDATE_BRANDING_SETTINGS: update_branding_settings,
    ChangeType.ASSOCIATE_AUDIENCE: associate_audience,
    ChangeType.DISASSOCIATE_AUDIENCE: disassociate_audience,
    ChangeType.ALLOW_PRODUCT_PROCUREMENT: allow_products,
    ChangeType.DENY_PRODUCT_PROCUREMENT: deny_products,
}


def change_type(change: Change) -> ChangeType:
    return ChangeType(change["ChangeType"])


def details_size(change: Change) -> int:
    """Characters of the change's Details as the API counts them (compact JSON)."""
    return len(json.dumps(change.get("DetailsDocument", {}), separators=(",", ":")))


def with_identifier(change: Change, identifier: Target) -> Change:
    """A copy of ``change`` targeting ``identifier`` (None: the experience is not created yet)."""
    entity = {k: v for k, v in change["Entity"].items() if k != "Identifier"}
    if identifier is not None:
        entity["Identifier"] = identifier
    return {**change, "Entity": entity}
