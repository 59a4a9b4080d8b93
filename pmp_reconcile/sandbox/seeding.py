"""Seed documents: a short way to write a marketplace, turned into ordinary changes.

Each experience of ``{"experiences": [...]}`` becomes a CreateExperience followed by the
changes that build it, which the state model validates and applies like any change set (so a
seed can hold nothing the API could not make). Keys, all optional but ``name``::

    name, description, status (Enabled|Disabled), archived (bool),
    procurement_policy: {name, description, requests (Allow|Deny), allow: [ids], deny: [ids],
                         notes: {id: note}},
    branding: {name, description, title, information, theme_color, logo_url},
    audiences: [{name, description, principals: [ids]}]

A seed's ``products`` list is the public catalog the Discovery API reads (``discovery_seed``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

EXPERIENCE_KEYS = {
    "name",
    "description",
    "status",
    "archived",
    "procurement_policy",
    "branding",
    "audiences",
}
POLICY_KEYS = {"name", "description", "requests", "allow", "deny", "notes"}
BRANDING_KEYS = {"name", "description", "title", "information", "theme_color", "logo_url"}
AUDIENCE_KEYS = {"name", "description", "principals"}
BRANDING_FIELDS = {
    "title": "Title",
    "information": "Information",
    "theme_color": "ThemeColor",
    "logo_url": "LogoUrl",
}
CHUNK = 50


def _mapping(value: Any, where: str, keys: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be a mapping")
    unknown = sorted(set(value) - keys)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}")
    return value


def _change(change_type: str, details: dict[str, Any]) -> dict[str, Any]:
    return {
        "ChangeType": change_type,
        "Entity": {"Type": "Experience@1.0"},
        "DetailsDocument": details,
    }


def _named(source: dict[str, Any]) -> dict[str, Any]:
    named = {"name": "Name", "description": "Description"}
    return {api: source[key] for key, api in named.items() if key in source}


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def seed_changes(document: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Per experience: its CreateExperience, then changes still lacking Entity.Identifier."""
    _mapping(document, "seed", {"experiences", "products"})
    experiences = document.get("experiences", [])
    if not isinstance(experiences, list):
        raise ValueError("seed.experiences must be a list")
    return [_experience(item, f"experiences[{i}]") for i, item in enumerate(experiences)]


def _experience(item: Any, where: str) -> list[dict[str, Any]]:
    source = _mapping(item, where, EXPERIENCE_KEYS)
    changes = [_change("CreateExperience", _named(source))]
    if "procurement_policy" in source:
        changes += _policy(
            _mapping(source["procurement_policy"], f"{where}.procurement_policy", POLICY_KEYS)
        )
    if "branding" in source:
        changes.append(_branding(_mapping(source["branding"], f"{where}.branding", BRANDING_KEYS)))
    for index, audience in enumerate(source.get("audiences") or []):
        found = _mapping(audience, f"{where}.audiences[{index}]", AUDIENCE_KEYS)
        for principals in _chunks(list(found.get("principals") or [])):
            changes.append(
                _change("AssociateAudience", {**_named(found), "Principals": principals})
            )
    if "status" in source:
        changes.append(_change("UpdateExperience", {"Status": source["status"]}))
    if source.get("archived"):
        changes.append(_change("RestrictExperience", {}))
    return changes


def _policy(policy: dict[str, Any]) -> list[dict[str, Any]]:
    details = _named(policy)
    details["Configuration"] = {"PolicyResourceRequests": policy.get("requests", "Allow")}
    changes = [_change("CreateProcurementPolicy", details)]
    notes = policy.get("notes") or {}
    for effect, key in (("Allow", "allow"), ("Deny", "deny")):
        for ids in _chunks(list(policy.get(key) or [])):
            products = [{"Ids": [i], **({"Notes": notes[i]} if i in notes else {})} for i in ids]
            changes.append(_change(f"{effect}ProductProcurement", {"Products": products}))
    return changes


def _branding(branding: dict[str, Any]) -> dict[str, Any]:
    details = _named(branding)
    details.setdefault("Name", "branding")
    configuration = {api: branding[key] for key, api in BRANDING_FIELDS.items() if key in branding}
    if configuration:
        details["Configuration"] = configuration
    return _change("CreateBrandingSettings", details)
