"""Reading the tree: which files there are, their text, their YAML, their model.

Everything that can go wrong with one file on its own becomes a finding here; the result
holds the files that passed, ready for the cross-file rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.errors_map import check_file
from pmp_reconcile.desired.naming import (
    EXPERIENCES_DIR,
    PRODUCTS_FILE,
    SETTINGS_FILE,
    experience_key,
    listing,
    strays,
)
from pmp_reconcile.desired.schema import ExperienceFile, ProductsFile, SettingsFile
from pmp_reconcile.desired.yaml_marks import Parsed, YamlSyntaxError, parse_yaml
from pmp_reconcile.errors import Finding, Location

M = TypeVar("M", bound=BaseModel)
_MAPPING_HINT = "write key: value lines at the top (name: …), not a list or a bare value"


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """One file read into its model: where it is, its value and its YAML positions.

    For a file that failed its own checks the model holds only the keys that passed, and
    ``dropped`` names the others (the cross-file rules use it).
    """

    file: str
    model: M
    parsed: Parsed
    dropped: tuple[tuple[str | int, ...], ...] = ()

    def at(self, *path: str | int) -> Location:
        position = self.parsed.position(tuple(path))
        return Location(self.file, position.line, position.column)


@dataclass
class Tree:
    settings: Loaded[SettingsFile] | None = None
    products: Loaded[ProductsFile] | None = None
    experiences: dict[str, Loaded[ExperienceFile]] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    products_unreadable: bool = False


def read_tree(directory: Path) -> Tree:
    """All files of the tree in a stable order, each checked on its own."""
    tree = Tree()
    tree.settings = _optional(directory / SETTINGS_FILE, SettingsFile, tree.findings)
    tree.products = _optional(directory / PRODUCTS_FILE, ProductsFile, tree.findings)
    tree.products_unreadable = tree.products is None and _present(directory / PRODUCTS_FILE)
    tree.findings += strays(listing(directory, tree.findings))
    folder = directory / EXPERIENCES_DIR
    if not folder.is_dir():
        tree.findings.append(
            Finding(
                codes.NO_EXPERIENCES_DIR,
                f"no {EXPERIENCES_DIR}/ directory: the tree describes no experience",
                Location(str(directory)),
                hint=f"add {folder}/<key>.yaml, one file per experience",
            )
        )
        return tree
    for path in listing(folder, tree.findings):
        key = experience_key(path, tree.findings)
        if key is not None:
            tree.keys.add(key)
            loaded = _load(path, ExperienceFile, tree.findings)
            if loaded is not None:
                tree.experiences[key] = loaded
    return tree


def _optional(path: Path, model: type[M], findings: list[Finding]) -> Loaded[M] | None:
    return _load(path, model, findings) if _present(path) else None


def _present(path: Path) -> bool:
    """There is something at ``path`` (a dangling link too: reading it is then a finding)."""
    return path.exists() or path.is_symlink()


def _load(path: Path, model: type[M], findings: list[Finding]) -> Loaded[M] | None:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "it is not UTF-8 text"
        findings.append(Finding(codes.UNREADABLE, f"cannot read: {reason}", Location(file)))
        return None
    try:
        parsed = parse_yaml(text)
    except YamlSyntaxError as error:
        where = Location(file, error.position.line, error.position.column)
        findings.append(Finding(codes.YAML_SYNTAX, str(error), where))
        return None
    if parsed is None or parsed.value is None:
        findings.append(_empty(file, model))
        return None
    findings += _duplicates(parsed, file)
    if not isinstance(parsed.value, dict):
        where = Location(file, *_start(parsed))
        kind = "a list" if isinstance(parsed.value, list) else "a single value"
        message = f"the top level is {kind}, not a mapping"
        findings.append(Finding(codes.NOT_A_MAPPING, message, where, hint=_MAPPING_HINT))
        return None
    checked = check_file(model, parsed, file)
    findings += checked.findings
    if checked.model is None:
        return None
    return Loaded(file, checked.model, parsed, checked.dropped)


def _empty(file: str, model: type[BaseModel]) -> Finding:
    hint = "write at least 'name: …'" if model is ExperienceFile else "delete it or fill it in"
    return Finding(codes.EMPTY_FILE, "the file is empty", Location(file, 1, 1), hint=hint)


def _duplicates(parsed: Parsed, file: str) -> list[Finding]:
    return [
        Finding(
            codes.DUPLICATE_KEY,
            f"duplicate key '{key}' (first at line {first.line})",
            Location(file, again.line, again.column),
            hint="YAML keeps only one of them; merge the two",
        )
        for key, again, first in parsed.duplicates
    ]


def _start(parsed: Parsed) -> tuple[int, int]:
    position = parsed.position(())
    return position.line, position.column
