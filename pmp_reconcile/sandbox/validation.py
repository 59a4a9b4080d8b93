"""StartChangeSet's synchronous checks: everything the service refuses with a 422.

:func:`parse_request` turns the request into :class:`Change` records or raises one
``ValidationException`` listing every problem found (``ValidationExceptionFieldList``).
Checks that need the marketplace (existence, revisions, locks, quota) live in ``state``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pmp_reconcile.sandbox.errors import ValidationException, field_error
from pmp_reconcile.sandbox.fields import CHANGE_TYPES, problems

CATALOG = "AWSMarketplace"
ENTITY_TYPE = "Experience@1.0"
MAX_CHANGES = 20
MAX_DETAILS = 16_384
NOT_JSON = "Document not valid JSON format"
REFERENCE = re.compile(r"^\$([^.$]+)\.Entity\.Identifier$")
IDENTIFIER = re.compile(r"^([\w-]+)(?:@(\d+))?$")
CHANGE_SET_NAME = re.compile(r"^[\w\s+=.:@-]{1,100}$")
TOKEN = re.compile(r"^[!-~]{1,64}$")
TAG_KEY = re.compile(r"^[\w\s.:/=+\-@]{1,128}$", re.UNICODE)
TAG_VALUE = re.compile(r"^[\w\s.:/=+\-@]{0,256}$", re.UNICODE)


@dataclass
class Change:
    """One change of a change set, as sent and (once applied) as resolved."""

    change_type: str
    details: dict[str, Any]
    change_name: str | None = None
    identifier: str | None = None
    entity_tags: list[dict[str, str]] = field(default_factory=list)
    resolved: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def reference(self) -> str | None:
        """The ChangeName an ``$Name.Entity.Identifier`` identifier points at."""
        match = REFERENCE.match(self.identifier or "")
        return match.group(1) if match else None

    @property
    def entity_id(self) -> str | None:
        """The literal entity id (no revision), or None for creates and references."""
        match = IDENTIFIER.match(self.identifier or "")
        return match.group(1) if match else None

    @property
    def revision(self) -> int | None:
        match = IDENTIFIER.match(self.identifier or "")
        return int(match.group(2)) if match and match.group(2) else None

    def summary(self) -> dict[str, Any]:
        """DescribeChangeSet's ChangeSummary."""
        entity: dict[str, str] = {"Type": ENTITY_TYPE}
        shown = self.resolved or self.identifier
        if shown:
            entity["Identifier"] = shown
        reply: dict[str, Any] = {
            "ChangeType": self.change_type,
            "Entity": entity,
            "Details": json.dumps(self.details, separators=(",", ":")),
            "DetailsDocument": self.details,
            "ErrorDetailList": list(self.errors),
        }
        if self.change_name:
            reply["ChangeName"] = self.change_name
        return reply

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Change:
        return cls(**data)


@dataclass
class Request:
    """A StartChangeSet request that passed every synchronous check."""

    changes: list[Change]
    name: str | None
    token: str | None
    tags: list[dict[str, str]]
    fingerprint: str


class _Problems:
    """Collects field errors; raises them as one ValidationException."""

    def __init__(self) -> None:
        self.found: list[dict[str, Any]] = []

    def add(
        self, path: str, message: str, reason: str = "FieldValidationFailed", **context: str
    ) -> None:
        self.found.append(field_error(path, message, reason, **context))

    def raise_any(self) -> None:
        if self.found:
            messages = [str(f["Message"]) for f in self.found]
            shown = messages[0] if len(messages) == 1 else "; ".join(messages[:5])
            raise ValidationException(shown, fields=self.found)


def parse_request(params: dict[str, Any], change_name_pattern: str) -> Request:
    """Check a StartChangeSet request; every problem is reported at once."""
    found = _Problems()
    _check_top(params, found)
    raw = params.get("ChangeSet")
    changes: list[Change] = []
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_CHANGES:
        found.add("ChangeSet", f"ChangeSet must hold 1-{MAX_CHANGES} changes")
    else:
        for index, item in enumerate(raw):
            change = _parse_change(item, f"ChangeSet.{index}", found, change_name_pattern)
            if change is not None:
                changes.append(change)
        found.raise_any()
        _check_set(changes, found)
    found.raise_any()
    return Request(
        changes=changes,
        name=params.get("ChangeSetName"),
        token=params.get("ClientRequestToken"),
        tags=list(params.get("ChangeSetTags") or []),
        fingerprint=fingerprint(params),
    )


def fingerprint(params: dict[str, Any]) -> str:
    """What a repeated ClientRequestToken must repeat to get the same change set."""
    keys = ("ChangeSet", "ChangeSetName", "Intent", "ChangeSetTags")
    return json.dumps({k: params.get(k) for k in keys}, sort_keys=True)


def _check_top(params: dict[str, Any], found: _Problems) -> None:
    name = params.get("ChangeSetName")
    if name is not None and not (isinstance(name, str) and CHANGE_SET_NAME.match(name)):
        found.add("ChangeSetName", "ChangeSetName must be 1-100 characters of [\\w\\s+=.:@-]")
    token = params.get("ClientRequestToken")
    if token is not None and not (isinstance(token, str) and TOKEN.match(token)):
        found.add("ClientRequestToken", "ClientRequestToken must be 1-64 printable characters")
    intent = params.get("Intent", "APPLY")
    if intent != "APPLY":
        found.add("Intent", f"Intent {intent} is not supported for {ENTITY_TYPE} change types")
    tags = params.get("ChangeSetTags")
    if tags is not None:
        tag_problems(tags, "ChangeSetTags", found)


def tag_problems(tags: Any, path: str, found: _Problems, high: int = 200) -> None:
    """Check a TagList: 1–``high`` ``{Key, Value}`` objects with valid, unique keys."""
    if not isinstance(tags, list) or not 1 <= len(tags) <= high:
        found.add(path, f"{path} must hold 1-{high} tags")
        return
    keys = [t.get("Key") for t in tags if isinstance(t, dict)]
    if len(set(map(str, keys))) != len(tags):
        found.add(path, f"{path} must hold distinct Key values")
    for index, tag in enumerate(tags):
        if not isinstance(tag, dict) or set(tag) != {"Key", "Value"}:
            found.add(f"{path}.{index}", "a tag is an object with exactly Key and Value")
        elif not (isinstance(tag["Key"], str) and TAG_KEY.match(tag["Key"])):
            found.add(f"{path}.{index}.Key", "tag keys are 1-128 letters, digits or _.:/=+-@")
        elif not (isinstance(tag["Value"], str) and TAG_VALUE.match(tag["Value"])):
            found.add(f"{path}.{index}.Value", "tag values are 0-256 letters, digits or _.:/=+-@")


def check_tags(tags: Any, path: str, high: int = 200) -> None:
    """:func:`tag_problems` raising a ValidationException (TagResource)."""
    found = _Problems()
    tag_problems(tags, path, found, high)
    found.raise_any()


def _parse_change(item: Any, path: str, found: _Problems, name_pattern: str) -> Change | None:
    if not isinstance(item, dict):
        found.add(path, f"{path} must be an object")
        return None
    change_type = item.get("ChangeType")
    if change_type not in CHANGE_TYPES:
        found.add(f"{path}.ChangeType", f"Unknown change type {change_type}", "UnknownOperation")
        return None
    context = {"ChangeType": str(change_type), "EntityType": ENTITY_TYPE}
    identifier = _entity(item.get("Entity"), change_type, path, found, context)
    details = _details(item, path, found, context)
    name = item.get("ChangeName")
    if name is not None and not (
        isinstance(name, str) and len(name) <= 72 and re.fullmatch(name_pattern, name)
    ):
        found.add(
            f"{path}.ChangeName", f"ChangeName must be 1-72 characters of {name_pattern}", **context
        )
    tags = item.get("EntityTags")
    if tags is not None:
        tag_problems(tags, f"{path}.EntityTags", found)
    if details is None:
        return None
    for where, message in problems(change_type, details):
        found.add(f"{path}.{where}", message, **context)
    return Change(change_type, details, name, identifier, list(tags or []))


def _entity(
    entity: Any, change_type: str, path: str, found: _Problems, context: dict[str, str]
) -> str | None:
    if not isinstance(entity, dict) or entity.get("Type") != ENTITY_TYPE:
        found.add(
            f"{path}.Entity.Type", f"Entity.Type must be {ENTITY_TYPE} for {change_type}", **context
        )
        return None
    identifier = entity.get("Identifier")
    if change_type == "CreateExperience":
        if identifier is not None:
            found.add(
                f"{path}.Entity.Identifier",
                "CreateExperience takes no Entity.Identifier",
                **context,
            )
        return None
    if not isinstance(identifier, str) or not (
        REFERENCE.match(identifier) or (IDENTIFIER.match(identifier) and len(identifier) <= 255)
    ):
        found.add(
            f"{path}.Entity.Identifier",
            f"{change_type} needs an Entity.Identifier: id, id@revision or $Name.Entity.Identifier",
            **context,
        )
        return None
    return identifier


def _details(
    item: dict[str, Any], path: str, found: _Problems, context: dict[str, str]
) -> dict[str, Any] | None:
    has_string, has_document = "Details" in item, "DetailsDocument" in item
    if has_string == has_document:
        found.add(
            f"{path}.Details",
            "Each change takes exactly one of Details and DetailsDocument",
            **context,
        )
        return None
    if has_string:
        return _details_string(item["Details"], path, found, context)
    document = item["DetailsDocument"]
    if not isinstance(document, dict):
        found.add(f"{path}.DetailsDocument", NOT_JSON, "CannotParse", **context)
        return None
    if len(json.dumps(document, separators=(",", ":"))) > MAX_DETAILS:
        found.add(
            f"{path}.DetailsDocument",
            f"Details must be at most {MAX_DETAILS} characters",
            **context,
        )
        return None
    return document


def _details_string(
    text: Any, path: str, found: _Problems, context: dict[str, str]
) -> dict[str, Any] | None:
    if not isinstance(text, str) or not 2 <= len(text) <= MAX_DETAILS:
        found.add(
            f"{path}.Details",
            f"Details must be a JSON object of 2-{MAX_DETAILS} characters",
            **context,
        )
        return None
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        document = None
    if not isinstance(document, dict):
        found.add(f"{path}.Details", NOT_JSON, "CannotParse", **context)
        return None
    return document


def _check_set(changes: list[Change], found: _Problems) -> None:
    """Names unique, references to earlier changes, one change type per entity."""
    keys: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    for index, change in enumerate(changes):
        path = f"ChangeSet.{index}"
        key = _entity_key(change, index, keys, path, found)
        if change.change_name is not None:
            if change.change_name in keys:
                found.add(f"{path}.ChangeName", f"ChangeName {change.change_name} is used twice")
            keys[change.change_name] = key or ""
        if key is not None and (change.change_type, key) in seen:
            found.add(
                path, f"{change.change_type} appears twice for entity {key} in one change set"
            )
        if key is not None:
            seen.add((change.change_type, key))


def _entity_key(
    change: Change, index: int, keys: dict[str, str], path: str, found: _Problems
) -> str | None:
    if change.change_type == "CreateExperience":
        return f"$new{index}"
    reference = change.reference
    if reference is None:
        return change.entity_id
    if reference not in keys:
        found.add(
            f"{path}.Entity.Identifier", f"${reference} names no earlier change of this change set"
        )
        return None
    return keys[reference]
