"""The usual valid file, checked without pydantic.

Most files of a tree are valid, and checking them is all a plan needs; loading pydantic and
building its models takes a fifth of a plan of 100 experiences. This check accepts a file
only when it is certainly valid (every key known, every value of its exact type, within its
length, matching its pattern), and returns its value; anything it is not sure of gets
``None``, and the schema models judge the file as before, with their messages. It may
refuse a valid file (a non-ASCII path, say): that costs only time. It never accepts a file
the schema models refuse, and gives the value they give (tests compare the two on a corpus
of valid and broken files).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from pmp_reconcile.desired import spec
from pmp_reconcile.desired.products import only_strings
from pmp_reconcile.desired.spec import (
    BrandingFile,
    ExperienceFile,
    GuardrailsFile,
    ProductEntry,
    Products,
    ProductsFile,
    ProductWithNotes,
    SetReference,
    SettingsFile,
)

V = TypeVar("V")
#: Tests set it to False to have the schema models judge every file.
ENABLED = True
#: Integers the schema takes for certain (strict ints beyond 64 bits are not worth guessing).
_MAX_INT = 2**63 - 1
_LONGEST = spec.MAX_REFERENCE


class _NotSure(Exception):
    """Raised anywhere below: the schema models decide this file."""


def quick_value(kind: type[V], value: Any) -> V | None:
    """``value`` as a ``kind`` when it is certainly valid; None when the schema must judge."""
    check = _CHECKS.get(kind) if ENABLED else None
    if check is None:
        return None
    try:
        return check(value)  # type: ignore[no-any-return]
    except _NotSure:
        return None


def _experience(value: Any) -> ExperienceFile:
    members = _members(value, _EXPERIENCE_KEYS, required=("name",))
    return ExperienceFile(
        name=_matching(members["name"], _NAME),
        description=_optional(members.get("description"), _text),
        id=_optional(members.get("id"), lambda v: _matching(v, _EXPERIENCE_ID)),
        status=_one_of(members.get("status", "disabled"), spec.STATUSES),
        archived=_exactly(members.get("archived", False), bool),
        software_requests=_one_of(members.get("software_requests", "allow"), spec.REQUEST_POLICIES),
        principals=_list(members.get("principals", []), lambda v: _matching(v, _PRINCIPAL)),
        products=_products(members.get("products", {})),
        branding=_optional(members.get("branding"), _branding),
    )


def _products(value: Any) -> Products:
    members = _members(value, ("allow", "deny"))
    return Products(
        allow=_entries(members.get("allow", [])), deny=_entries(members.get("deny", []))
    )


def _entries(value: Any) -> list[ProductEntry]:
    entries = _exactly(value, list)
    if only_strings(entries):  # the usual list, ids and aliases only: checked in bulk
        if entries and not 1 <= min(map(len, entries)) <= max(map(len, entries)) <= _LONGEST:
            raise _NotSure
        return list(entries)
    return [_entry(entry) for entry in entries]


def _entry(value: Any) -> ProductEntry:
    if type(value) is str:
        return _reference(value)
    if type(value) is not dict:
        raise _NotSure
    if "set" in value:
        members = _members(value, ("set",), required=("set",))
        return SetReference(set=_matching(members["set"], _ALIAS))
    members = _members(value, ("id", "notes"), required=("id",))
    notes = _optional(members.get("notes"), lambda v: _length(v, spec.NOTES_LENGTH))
    return ProductWithNotes(id=_reference(members["id"]), notes=notes)


def _reference(value: Any) -> str:
    return _length(value, (1, spec.MAX_REFERENCE))


def _branding(value: Any) -> BrandingFile:
    members = _members(value, ("title", "information", "theme_color", "logo_url"))
    return BrandingFile(
        title=_optional(members.get("title"), lambda v: _length(v, spec.TITLE_LENGTH)),
        information=_optional(members.get("information"), _text),
        theme_color=_optional(members.get("theme_color"), lambda v: _matching(v, _COLOR)),
        logo_url=_optional(members.get("logo_url"), _url),
    )


def _url(value: Any) -> str:
    """Printable ASCII without spaces only: there the pattern's ``\\s`` means the same to
    the schema's regex engine and to Python's."""
    url = _length(value, (1, spec.MAX_URL))
    if not all("!" <= character <= "~" for character in url):
        raise _NotSure
    return _matching(url, _URL)


def _products_file(value: Any) -> ProductsFile:
    members = _members(value, ("products", "sets"))
    aliases = _exactly(members.get("products", {}), dict)
    sets = _exactly(members.get("sets", {}), dict)
    return ProductsFile(
        products={_matching(k, _ALIAS): _reference(v) for k, v in aliases.items()},
        sets={_matching(k, _ALIAS): _entries(v) for k, v in sets.items()},
    )


def _settings(value: Any) -> SettingsFile:
    members = _members(value, _SETTINGS_KEYS)
    checks = members.get("product_checks", "warn")
    return SettingsFile(
        version=_the_version(members.get("version", 1)),
        organization_id=_optional(
            members.get("organization_id"), lambda v: _matching(v, _ORGANIZATION)
        ),
        caller=_one_of(members.get("caller", "management"), spec.CALLERS),
        unmanaged_experiences=_one_of(
            members.get("unmanaged_experiences", "warn"), spec.UNMANAGED_POLICIES
        ),
        guardrails=_guardrails(members.get("guardrails", {})),
        include=_list(members.get("include", []), _include),
        # YAML reads a bare ``off`` as false: that is what the user wrote
        product_checks="off" if checks is False else _one_of(checks, spec.PRODUCT_CHECKS),
    )


def _guardrails(value: Any) -> GuardrailsFile:
    members = _members(value, ("max_product_removals", "max_principal_removals", "protected"))
    rails = spec.DEFAULT_RAILS
    return GuardrailsFile(
        max_product_removals=_count(
            members.get("max_product_removals", rails.max_product_removals)
        ),
        max_principal_removals=_count(
            members.get("max_principal_removals", rails.max_principal_removals)
        ),
        protected=_list(members.get("protected", []), lambda v: _exactly(v, str)),
    )


def _include(value: Any) -> str:
    return _matching(_length(value, (1, spec.MAX_INCLUDE)), _INCLUDE)


def _the_version(value: Any) -> int:
    if type(value) is not int or value != 1:
        raise _NotSure
    return value


def _count(value: Any) -> int:
    if type(value) is not int or not 0 <= value <= _MAX_INT:
        raise _NotSure
    return value


def _members(value: Any, known: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A mapping of known keys only, the required ones among them."""
    if type(value) is not dict or not value.keys() <= set(known):
        raise _NotSure
    if any(key not in value for key in required):
        raise _NotSure
    return value


def _optional(value: Any, check: Callable[[Any], V]) -> V | None:
    return None if value is None else check(value)


def _list(value: Any, check: Callable[[Any], V]) -> list[V]:
    return [check(item) for item in _exactly(value, list)]


def _exactly(value: Any, kind: type[V]) -> V:
    if type(value) is not kind:
        raise _NotSure
    return value


def _one_of(value: Any, choices: tuple[str, ...]) -> str:
    if type(value) is not str or value not in choices:
        raise _NotSure
    return value


def _text(value: Any) -> str:
    return _length(value, spec.TEXT_LENGTH)


def _length(value: Any, bounds: tuple[int, int]) -> str:
    if type(value) is not str or not bounds[0] <= len(value) <= bounds[1]:
        raise _NotSure
    return value


def _matching(value: Any, pattern: re.Pattern[str]) -> str:
    """A string the pattern matches whole, in printable ASCII (where the schema's regex
    engine and Python's agree on every class the patterns use)."""
    if type(value) is not str or not (value.isascii() and value.isprintable()):
        raise _NotSure
    if pattern.fullmatch(value) is None:
        raise _NotSure
    return value


_NAME = re.compile(spec.NAME_PATTERN)
_EXPERIENCE_ID = re.compile(spec.EXPERIENCE_ID_PATTERN)
_PRINCIPAL = re.compile(spec.PRINCIPAL_PATTERN)
_COLOR = re.compile(spec.COLOR_PATTERN)
_URL = re.compile(spec.URL_PATTERN)
_ALIAS = re.compile(spec.ALIAS_PATTERN)
_INCLUDE = re.compile(spec.INCLUDE_PATTERN)
_ORGANIZATION = re.compile(spec.ORGANIZATION_PATTERN)
# The keys each check reads, listed here rather than taken from spec's fields: a member added
# to the format but not to a check must send its files to the schema models, not be dropped.
_EXPERIENCE_KEYS = (
    "name",
    "description",
    "id",
    "status",
    "archived",
    "software_requests",
    "principals",
    "products",
    "branding",
)
_SETTINGS_KEYS = (
    "version",
    "organization_id",
    "caller",
    "unmanaged_experiences",
    "guardrails",
    "include",
    "product_checks",
)
_CHECKS: dict[type[Any], Callable[[Any], Any]] = {
    ExperienceFile: _experience,
    ProductsFile: _products_file,
    SettingsFile: _settings,
}
