"""One file against its model: pydantic's errors turned into findings at file:line:col.

pydantic reports locations as paths (``("products", "allow", 3)``); the YAML positions map
them back to where the user wrote them. A key written with no value is reported as such
(an unquoted ``#`` starts a comment, so ``theme_color: #0A66C2`` is an empty value, not a
colour) rather than silently meaning "not set".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.messages import describe
from pmp_reconcile.desired.products import only_strings
from pmp_reconcile.desired.salvage import salvage
from pmp_reconcile.desired.schema import SCHEMA_OF, ExperienceFile, plain
from pmp_reconcile.desired.spec import MAX_REFERENCE
from pmp_reconcile.desired.yaml_marks import Parsed, Path
from pmp_reconcile.errors import Finding, Location

V = TypeVar("V")
_UNION_TAGS = {"short", "long", "set_reference"}
_LIST_KEYS = {"principals", "allow", "deny", "protected"}


@dataclass(frozen=True)
class Checked(Generic[V]):
    """A file checked against its model: ``value`` is complete only when there are no
    findings.

    With findings it is the salvaged part (see :mod:`salvage`), or None, and ``dropped``
    names the keys left out.
    """

    value: V | None
    findings: list[Finding]
    dropped: tuple[Path, ...] = ()


def check_file(kind: type[V], parsed: Parsed, file: str) -> Checked[V]:
    """The file's value (a ``kind``) and the findings of its own checks."""
    model = SCHEMA_OF[kind]
    try:
        checked = _validated(model, parsed.value)
    except ValidationError as error:
        return _failed(model, parsed, file, error.errors())
    if parsed.nulls:
        return _failed(model, parsed, file, [])
    return Checked(plain(checked), [])


def _validated(model: type[BaseModel], value: Any) -> BaseModel:
    """``model.model_validate(value)``, long lists of plain product references set aside.

    A product list of strings of 1 to 50 characters is valid as it is (that is all the schema
    checks of a short entry), so it is checked in bulk, the rest of the file validated without
    it and the list put back: the same model and the same errors, without validating each of
    thousands of entries on its own.
    """
    lists = _plain_product_lists(value) if model is ExperienceFile else {}
    if not lists:
        return model.model_validate(value)
    checked: Any = model.model_validate(
        {**value, "products": {**value["products"], **{key: [] for key in lists}}}
    )
    products = checked.products.model_copy(update=lists)
    return checked.model_copy(update={"products": products})  # type: ignore[no-any-return]


def _plain_product_lists(value: Any) -> dict[str, list[str]]:
    products = value.get("products") if isinstance(value, dict) else None
    if not isinstance(products, dict):
        return {}
    return {
        effect: entries
        for effect in ("allow", "deny")
        if isinstance(entries := products.get(effect), list)
        and entries
        and only_strings(entries)
        and min(map(len, entries)) >= 1
        and max(map(len, entries)) <= MAX_REFERENCE
    }


def _failed(
    model: type[BaseModel], parsed: Parsed, file: str, details: list[ErrorDetails]
) -> Checked[Any]:
    unknown = {_path(d["loc"])[0] for d in details if d["type"] == "extra_forbidden"}
    empty = [p for p in parsed.nulls if p not in unknown]
    findings = [_empty_value(parsed, file, path) for path in empty]
    findings += [
        _finding(model, parsed, file, d)
        for d in details
        if d["type"] == "extra_forbidden" or _path(d["loc"])[0] not in empty
    ]
    bad = [_path(d["loc"])[0] for d in details] + empty
    partial, dropped = salvage(model, parsed.value, bad)
    return Checked(plain(partial), _unique(findings), dropped)


def _finding(model: type[BaseModel], parsed: Parsed, file: str, detail: ErrorDetails) -> Finding:
    kind = detail["type"]
    path, is_key = _path(detail["loc"])
    position = parsed.key_position(path) if is_key or kind == "extra_forbidden" else None
    position = position or parsed.position(path)
    message, hint = describe(model, path, detail, _dotted(path), parsed.written(path))
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
        if len(names) == 2 and names[0] == "sets":  # a set's name: the key under sets
            field = "sets"
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
