"""Field rules of the twelve PMP change types' Details, from AWS's generated shapes.

Each change type's Details is a :class:`Record`; :func:`problems` walks a document against it
and returns every violation as ``(field path, message)``: unknown fields, missing required
ones, wrong JSON types, lengths, patterns, enums and list sizes. Allow/Deny product lists get
the service's two documented messages first (uniqueness, cumulative count ≤ 50).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

NAME_PATTERN = r"^[a-zA-Z0-9 _-]+$"
ACCOUNT_PATTERN = r"^\d{12}$"
OU_PATTERN = r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$"
ORGANIZATION_PATTERN = r"^o-[a-z0-9]{10,32}$"
PRINCIPAL_PATTERN = f"{ACCOUNT_PATTERN}|{OU_PATTERN}|{ORGANIZATION_PATTERN}"
CATALOG_PATTERN = (
    r"^(?![.-])(?!.*[.-]{2})(?![0-9]+\.[0-9.]+$)[a-z0-9.-]{1,47}[^.-]$"
    r"|AWSMarketplace(Dev|Alpha|Beta|Gamma|)$"
)
UNIQUE_IDS = "Values in Ids array must be unique"
CUMULATIVE_IDS = "Cumulative number of values in Ids array must be less than or equal to 50"
MAX_PRODUCT_IDS = 50

Problem = tuple[str, str]


@dataclass(frozen=True)
class Text:
    """A string of ``low``–``high`` characters, optionally matching ``pattern``."""

    low: int = 1
    high: int = 1000
    pattern: str | None = None


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]


@dataclass(frozen=True)
class Items:
    """A list of ``low``–``high`` items, each following ``item``."""

    item: Rule
    low: int = 1
    high: int = 50
    unique: bool = False


@dataclass(frozen=True)
class Record:
    """A JSON object: these fields and no others; ``required`` must be present."""

    fields: Mapping[str, Rule] = field(default_factory=dict)
    required: frozenset[str] = frozenset()


Rule = Text | Choice | Items | Record

NAME = Text(1, 50, NAME_PATTERN)
DESCRIPTION = Text(1, 1000)
REQUESTS = Record(
    {"PolicyResourceRequests": Choice(("Allow", "Deny"))}, frozenset({"PolicyResourceRequests"})
)
BRANDING = Record(
    {
        "Title": Text(1, 50),
        "Information": Text(1, 1000),
        "ThemeColor": Text(7, 7, r"^#[0-9A-Fa-f]{6}$"),
        "LogoUrl": Text(1, 2048, r"^https?:\/\/.*$"),
    }
)
PRINCIPALS = Items(Text(1, 64, PRINCIPAL_PATTERN), 1, 50, unique=True)
PRODUCTS = Items(
    Record(
        {"Ids": Items(Text(1, 50), 1, 50, unique=True), "Notes": Text(1, 50)}, frozenset({"Ids"})
    ),
    1,
    50,
)

SCHEMAS: dict[str, Record] = {
    "CreateExperience": Record(
        {"Name": NAME, "Description": DESCRIPTION, "Catalog": Text(1, 64, CATALOG_PATTERN)},
        frozenset({"Name"}),
    ),
    "UpdateExperience": Record(
        {"Name": NAME, "Description": DESCRIPTION, "Status": Choice(("Enabled", "Disabled"))}
    ),
    "RestrictExperience": Record(),
    "ReviveExperience": Record(),
    "CreateProcurementPolicy": Record(
        {"Name": NAME, "Description": Text(0, 100), "Configuration": REQUESTS}
    ),
    "UpdateProcurementPolicy": Record(
        {"Name": NAME, "Description": DESCRIPTION, "Configuration": REQUESTS},
        frozenset({"Configuration"}),
    ),
    "CreateBrandingSettings": Record(
        {"Name": NAME, "Description": DESCRIPTION, "Configuration": BRANDING}, frozenset({"Name"})
    ),
    "UpdateBrandingSettings": Record(
        {"Name": NAME, "Description": DESCRIPTION, "Configuration": BRANDING}
    ),
    "AssociateAudience": Record(
        {"Name": NAME, "Description": DESCRIPTION, "Principals": PRINCIPALS},
        frozenset({"Principals"}),
    ),
    "DisassociateAudience": Record({"Principals": PRINCIPALS}, frozenset({"Principals"})),
    "AllowProductProcurement": Record({"Products": PRODUCTS}, frozenset({"Products"})),
    "DenyProductProcurement": Record({"Products": PRODUCTS}, frozenset({"Products"})),
}
CHANGE_TYPES = tuple(SCHEMAS)
PRODUCT_CHANGES = ("AllowProductProcurement", "DenyProductProcurement")


def problems(change_type: str, details: Mapping[str, Any]) -> list[Problem]:
    """Every rule ``details`` breaks for ``change_type`` (empty when valid)."""
    if change_type in PRODUCT_CHANGES:
        found = _product_totals(details)
        if found:
            return found
    return _check(SCHEMAS[change_type], details, "Details")


def _product_totals(details: Mapping[str, Any]) -> list[Problem]:
    """The documented cumulative rules over all ``Products[].Ids`` of one change."""
    products = details.get("Products")
    if not isinstance(products, list):
        return []
    ids = [
        product_id
        for product in products
        if isinstance(product, dict) and isinstance(product.get("Ids"), list)
        for product_id in product["Ids"]
    ]
    if len(ids) > MAX_PRODUCT_IDS:
        return [("Details.Products", CUMULATIVE_IDS)]
    hashable = [json_key(i) for i in ids]
    if len(set(hashable)) != len(hashable):
        return [("Details.Products", UNIQUE_IDS)]
    return []


def json_key(value: Any) -> str:
    return repr(value)


def _check(rule: Rule, value: Any, path: str) -> list[Problem]:
    if isinstance(rule, Text):
        return _text(rule, value, path)
    if isinstance(rule, Choice):
        if value not in rule.values:
            return [(path, f"{path} must be one of {', '.join(rule.values)}")]
        return []
    if isinstance(rule, Items):
        return _items(rule, value, path)
    return _record(rule, value, path)


def _text(rule: Text, value: Any, path: str) -> list[Problem]:
    if not isinstance(value, str):
        return [(path, f"{path} must be a string")]
    if not rule.low <= len(value) <= rule.high:
        return [(path, f"{path} must be {rule.low}-{rule.high} characters long")]
    if rule.pattern and not re.fullmatch(rule.pattern, value):
        return [(path, f"{path} must match the pattern {rule.pattern}")]
    return []


def _items(rule: Items, value: Any, path: str) -> list[Problem]:
    if not isinstance(value, list):
        return [(path, f"{path} must be a list")]
    if not rule.low <= len(value) <= rule.high:
        return [(path, f"{path} must hold {rule.low}-{rule.high} items")]
    if rule.unique and len({json_key(v) for v in value}) != len(value):
        return [(path, f"Values in {path} must be unique")]
    found: list[Problem] = []
    for index, item in enumerate(value):
        found += _check(rule.item, item, f"{path}.{index}")
    return found


def _record(rule: Record, value: Any, path: str) -> list[Problem]:
    if not isinstance(value, dict):
        return [(path, f"{path} must be an object")]
    found: list[Problem] = [
        (f"{path}.{name}", f"{path}.{name} is not a known field")
        for name in value
        if name not in rule.fields
    ]
    found += [
        (f"{path}.{name}", f"{path}.{name} is required")
        for name in sorted(rule.required)
        if name not in value
    ]
    for name, member in rule.fields.items():
        if name in value:
            found += _check(member, value[name], f"{path}.{name}")
    return found
