"""Plan values ↔ the JSON values of the plan document: written by one walker, read by pydantic.

The plan's values are plain frozen dataclasses; the document (and the digest over it) is their
members in declaration order, so a member added to a value shows up in the document without a
second list to keep in step. Enums are written as their values, tuples as lists. A class may
name members it leaves out when they are empty or unset (``LEFT_OUT``), so plans without them
read as they always did, or write itself (``to_json``) when it must be compact. Reading a
saved plan back is rare and must refuse anything malformed: pydantic validates the dataclasses
then, imported only there.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import fields
from enum import Enum
from functools import cache
from typing import Any, ClassVar


class PlanValue:
    """Base of the plan's values: a saved plan with a member a value lacks is refused (pydantic
    reads this setting when it validates a dataclass; a plain dict, so nothing is imported)."""

    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}
    #: Members left out of the document when empty or unset.
    LEFT_OUT: ClassVar[tuple[str, ...]] = ()


#: Written as they are.
_PLAIN = frozenset({str, int, float, bool, type(None)})


def json_of(value: Any) -> Any:
    """The JSON value of a plan value (a dataclass, enum, tuple, mapping or plain value)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple or kind is list:
        return [json_of(item) for item in value]
    if kind is dict or isinstance(value, Mapping):
        return {key: json_of(item) for key, item in value.items()}
    if isinstance(value, Enum):
        return value.value
    to_json = getattr(value, "to_json", None)
    return to_json() if to_json is not None else members_of(value)


def members_of(value: Any, *, leave_out: Collection[str] = ()) -> dict[str, Any]:
    """A dataclass as a JSON object: its members in order, less ``leave_out`` and the ones
    its class leaves out when empty."""
    optional = getattr(value, "LEFT_OUT", ())
    body: dict[str, Any] = {}
    for name in _names(value.__class__):
        member = getattr(value, name)
        if name in leave_out or (name in optional and not member):
            continue
        body[name] = json_of(member)
    return body


@cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))
