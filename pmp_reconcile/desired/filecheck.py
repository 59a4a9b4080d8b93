"""One file against its model: pydantic's errors turned into findings at file:line:col.

pydantic reports locations as paths (``("products", "allow", 3)``); the YAML positions map
them back to where the user wrote them. Unknown keys get a "did you mean" from the keys the
model accepts at that level.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.yamlnodes import Parsed, Path, Position
from pmp_reconcile.errors import Finding, Location

M = TypeVar("M", bound=BaseModel)
_UNION_TAGS = {"short", "long"}


def check_file(model: type[M], parsed: Parsed, file: str) -> tuple[M | None, list[Finding]]:
    """The file's model, or None with the findings that stop it."""
    try:
        return model.model_validate(parsed.value), []
    except ValidationError as error:
        findings = [_finding(model, parsed, file, detail) for detail in error.errors()]
        return None, _unique(findings)


def _finding(model: type[BaseModel], parsed: Parsed, file: str, detail: ErrorDetails) -> Finding:
    kind = detail["type"]
    path, is_key = _path(detail["loc"])
    position = parsed.key_position(path) if is_key or kind == "extra_forbidden" else None
    position = position or parsed.position(path)
    where = _dotted(path)
    code = _code(kind, path)
    message, hint = _describe(model, kind, path, detail, where, parsed.source_text.get(path))
    return Finding(code, message, _location(file, position), hint)


def _path(loc: tuple[int | str, ...]) -> tuple[Path, bool]:
    """The data path of a pydantic location, and whether the error is about a mapping key."""
    path: list[str | int] = []
    is_key = False
    for part in loc:
        if part == "[key]":
            is_key = True
        elif part not in _UNION_TAGS:
            path.append(part)
    return tuple(path), is_key


def _dotted(path: Path) -> str:
    """``products.allow[2].notes``: the path as a reader would write it."""
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return text or "the file"


def _code(kind: str, path: Path) -> str:
    if kind in ("string_pattern_mismatch", "value_error"):
        names = [p for p in path if isinstance(p, str)]
        field = names[-1] if names else ""
        if len(names) >= 2 and names[0] == "products" and field not in ("allow", "deny"):
            field = "products"
        return codes.PATTERN_CODES.get(field, codes.WRONG_TYPE)
    return codes.TYPE_CODES.get(kind, codes.WRONG_TYPE)


def _describe(
    model: type[BaseModel],
    kind: str,
    path: Path,
    detail: ErrorDetails,
    where: str,
    written: str | None,
) -> tuple[str, str | None]:
    """The message and hint; ``written`` is the value as typed (YAML turns ``on`` into True)."""
    value = detail.get("input")
    if kind == "extra_forbidden":
        return _unknown_key(model, path)
    if kind == "missing":
        return f"missing required key '{path[-1]}'", None
    if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{where}: expected text, got the number {value}", f'quote it: "{value}"'
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        hint = None
        if isinstance(value, bool):
            hint = "YAML reads on/off/yes/no/true/false as booleans; write one of the words"
        shown = f"'{written}'" if written is not None else _shown(value)
        return f"{where}: {shown} is not one of {expected}", hint
    if kind == "string_pattern_mismatch":
        return f"{where}: {_shown(value)} is not valid", _pattern_hint(path)
    return f"{where}: {detail['msg'][0].lower()}{detail['msg'][1:]}", None


def _unknown_key(model: type[BaseModel], path: Path) -> tuple[str, str | None]:
    key = str(path[-1])
    allowed = sorted(_fields_at(model, path[:-1]))
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
    return f"unknown key '{key}'", hint


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


_PATTERN_HINTS = {
    "name": "1-50 letters, digits, spaces, _ and -",
    "id": "an experience id looks like exp-1a2b3c4d5e6f7",
    "principals": "an account id (12 digits, quoted), ou-xxxx-xxxxxxxx, or o-xxxxxxxxxx",
    "theme_color": 'a colour as #RRGGBB, quoted: "#0A66C2"',
    "logo_url": "an http:// or https:// URL",
    "organization_id": "an organization id looks like o-abcdef1234",
}


def _pattern_hint(path: Path) -> str | None:
    names = [p for p in path if isinstance(p, str)]
    if names and names[0] == "products" and len(names) == 2:
        return "aliases are lowercase: letters, digits, '.', '_' and '-'"
    return _PATTERN_HINTS.get(names[-1]) if names else None


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def _location(file: str, position: Position) -> Location:
    return Location(file, position.line, position.column)


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, Location, str]] = set()
    result = []
    for finding in findings:
        key = (finding.code, finding.location, finding.message)
        if key not in seen:
            seen.add(key)
            result.append(finding)
    return result
