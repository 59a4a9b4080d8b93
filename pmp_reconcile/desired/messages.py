"""Words for pydantic's errors: what is wrong at a path, and a hint that says how to fix it.

pydantic's own messages name Python types ("a valid dictionary or instance of Products");
users wrote YAML, so these talk about text, lists, mappings and the keys a level accepts.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from pmp_reconcile.desired.yaml_marks import Path

_EXPECTED = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "bool_type": "true or false",
    "int_type": "a whole number",
}

_PATTERN_HINTS = {
    "name": "1-50 letters, digits, spaces, _ and -",
    "id": "an experience id looks like exp-1a2b3c4d5e6f7",
    "principals": "an account id (12 digits, quoted), ou-xxxx-xxxxxxxx, or o-xxxxxxxxxx",
    "theme_color": 'a colour as #RRGGBB, quoted: "#0A66C2"',
    "logo_url": "an http:// or https:// URL",
    "organization_id": "an organization id looks like o-abcdef1234",
    "sets": "set names are lowercase: letters, digits, '.', '_' and '-'",
    "set": "set names are lowercase: letters, digits, '.', '_' and '-'",
    "include": "a path relative to this tree to a .yaml file, e.g. ../../common/products.yaml",
}

_QUOTE_HINT = 'quote it: "{}"'
_BOOLEAN_WORDS = "YAML reads on/off/yes/no/true/false as booleans; write one of the words"


def describe(
    model: type[BaseModel], path: Path, detail: ErrorDetails, where: str, written: str | None
) -> tuple[str, str | None]:
    """The message and hint; ``written`` is the value as typed (YAML turns ``on`` into True)."""
    kind = detail["type"]
    value = detail.get("input")
    if kind == "extra_forbidden":
        return unknown_key(model, path)
    if kind == "missing":
        return f"missing required key '{path[-1]}'", None
    if kind == "literal_error":
        return _not_one_of(detail, where, written)
    if kind == "string_pattern_mismatch":
        return f"{where}: {shown(value)} is not valid", _pattern_hint(path)
    if kind in _EXPECTED:
        number = written if written is not None and _is_number(value) else None
        hint = _QUOTE_HINT.format(number) if kind == "string_type" and number else None
        got = f"the number {number}" if number else _kind_of(value)
        return f"{where}: expected {_EXPECTED[kind]}, got {got}", hint
    return f"{where}: {detail['msg'][0].lower()}{detail['msg'][1:]}", None


def unknown_key(model: type[BaseModel], path: Path) -> tuple[str, str | None]:
    """An unknown key, with the closest accepted key (or all of them) as the hint."""
    key = str(path[-1])
    allowed = sorted(_fields_at(model, path[:-1]))
    close = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
    return f"unknown key '{key}'", hint


def shown(value: Any) -> str:
    """A value quoted for a message, cut short when long."""
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def _not_one_of(detail: ErrorDetails, where: str, written: str | None) -> tuple[str, str | None]:
    value = detail.get("input")
    expected = str(detail.get("ctx", {}).get("expected", ""))
    words = [w.strip("'") for w in expected.replace(" or ", ", ").split(", ")]
    hint = _BOOLEAN_WORDS if isinstance(value, bool) else None
    if isinstance(value, str) and value in words:
        hint = f"write it without quotes: {value}"
    close = difflib.get_close_matches(str(written or value).lower(), words, n=1, cutoff=0.6)
    if hint is None and close:
        hint = f"did you mean '{close[0]}'?"
    text = f"'{written}'" if written is not None else shown(value)
    return f"{where}: {text} is not one of {expected}", hint


def _kind_of(value: Any) -> str:
    """``the number 12``, ``the text 'x'``, ``a list``…"""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {shown(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__} value"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _pattern_hint(path: Path) -> str | None:
    names = [p for p in path if isinstance(p, str)]
    if names and names[0] == "products" and len(names) == 2:
        return "aliases are lowercase: letters, digits, '.', '_' and '-'"
    if names and names[0] == "sets" and len(names) == 2:
        return _PATTERN_HINTS["sets"]
    return _PATTERN_HINTS.get(names[-1]) if names else None


def _fields_at(model: type[BaseModel], path: Path) -> set[str]:
    """The keys the model accepts at ``path`` (ints in the path are list positions)."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return set()
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        current = _model_in(field.annotation) if field is not None else None
    return set(current.model_fields) if current is not None else set()


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside ``X | None``, ``list[X]`` or ``Annotated[...]`` (the last found)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    found = None
    for arg in typing.get_args(annotation):
        if not isinstance(arg, types.NoneType | str):
            found = _model_in(arg) or found
    return found
