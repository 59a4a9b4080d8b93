"""One file against its model: pydantic's errors turned into findings at file:line:col.

pydantic reports locations as paths (``("products", "allow", 3)``); the YAML positions map
them back to where the user wrote them. A key written with no value is reported as such
(an unquoted ``#`` starts a comment, so ``theme_color: #0A66C2`` is an empty value, not a
colour) rather than silently meaning "not set".
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.messages import describe
from pmp_reconcile.desired.yamlnodes import Parsed, Path
from pmp_reconcile.errors import Finding, Location

M = TypeVar("M", bound=BaseModel)
_UNION_TAGS = {"short", "long"}
_LIST_KEYS = {"principals", "allow", "deny", "protected"}


def check_file(model: type[M], parsed: Parsed, file: str) -> tuple[M | None, list[Finding]]:
    """The file's model, or None with the findings that stop it."""
    value: M | None = None
    details: list[ErrorDetails] = []
    try:
        value = model.model_validate(parsed.value)
    except ValidationError as error:
        details = error.errors()
    unknown = {_path(d["loc"])[0] for d in details if d["type"] == "extra_forbidden"}
    empty = [p for p in parsed.nulls if p not in unknown]
    findings = [_empty_value(parsed, file, path) for path in empty]
    findings += [
        _finding(model, parsed, file, d)
        for d in details
        if d["type"] == "extra_forbidden" or _path(d["loc"])[0] not in empty
    ]
    return (value if not findings else None), _unique(findings)


def _finding(model: type[BaseModel], parsed: Parsed, file: str, detail: ErrorDetails) -> Finding:
    kind = detail["type"]
    path, is_key = _path(detail["loc"])
    position = parsed.key_position(path) if is_key or kind == "extra_forbidden" else None
    position = position or parsed.position(path)
    message, hint = describe(model, path, detail, _dotted(path), parsed.source_text.get(path))
    return Finding(_code(kind, path), message, Location(file, position.line, position.column), hint)


def _empty_value(parsed: Parsed, file: str, path: Path) -> Finding:
    position = parsed.key_position(path)
    name = path[-1]
    if name == "theme_color":
        hint = 'an unquoted # starts a comment: write theme_color: "#0A66C2"'
    elif isinstance(name, int):
        hint = "remove the empty '-' item"
    elif name in _LIST_KEYS:
        hint = f"write {name}: [] for none, or remove the key"
    else:
        hint = "give it a value, or remove the key"
    return Finding(
        codes.EMPTY_VALUE,
        f"{_dotted(path)} has no value",
        Location(file, position.line, position.column),
        hint,
    )


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


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, Location, str]] = set()
    result = []
    for finding in findings:
        key = (finding.code, finding.location, finding.message)
        if key not in seen:
            seen.add(key)
            result.append(finding)
    return result
