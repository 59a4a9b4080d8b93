"""Reading the tree: which files there are, their text, their YAML, their model.

Everything that can go wrong with one file on its own becomes a finding here; the result
holds the files that passed, ready for the cross-file rules.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.naming import (
    EXPERIENCES_DIR,
    PRODUCTS_FILE,
    SETTINGS_FILE,
    experience_key,
    listing,
    strays,
)
from pmp_reconcile.desired.quick_check import quick_value
from pmp_reconcile.desired.spec import ExperienceFile, ProductsFile, SettingsFile
from pmp_reconcile.desired.yaml_marks import Parsed, YamlSyntaxError, parse_yaml
from pmp_reconcile.errors import Finding, Location

M = TypeVar("M")
#: No tree file comes near this; a larger one is refused unread (reading 50 MB of YAML takes
#: tens of seconds).
MAX_FILE_BYTES = 5 * 1024 * 1024
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

    def key_at(self, *path: str | int) -> Location:
        """Where the key of ``path`` is written (a set's name, above its list)."""
        position = self.parsed.key_position(tuple(path))
        return Location(self.file, position.line, position.column)


@dataclass
class Tree:
    settings: Loaded[SettingsFile] | None = None
    products: Loaded[ProductsFile] | None = None
    experiences: dict[str, Loaded[ExperienceFile]] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    products_unreadable: bool = False
    #: The products files that pmp.yaml includes, in the order it names them.
    included: list[Loaded[ProductsFile]] = field(default_factory=list)
    #: Some include could not be read: its names cannot be judged unknown.
    includes_unreadable: bool = False


def read_tree(directory: Path) -> Tree:
    """All files of the tree in a stable order, each checked on its own."""
    tree = Tree()
    tree.settings = read_settings(directory, tree.findings)
    tree.products = _optional(directory / PRODUCTS_FILE, directory, ProductsFile, tree.findings)
    tree.products_unreadable = tree.products is None and _present(directory / PRODUCTS_FILE)
    tree.findings += strays(listing(directory, tree.findings))
    folder = directory / EXPERIENCES_DIR
    if folder.is_dir() and not inside(folder, directory):
        tree.findings.append(_leaves(folder, directory))
        return tree
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
            loaded = load_file(path, directory, ExperienceFile, tree.findings)
            if loaded is not None:
                tree.experiences[key] = loaded
    return tree


def read_settings(directory: Path, findings: list[Finding]) -> Loaded[SettingsFile] | None:
    """``pmp.yaml`` on its own (None when there is none, or it fails its own checks)."""
    return _optional(directory / SETTINGS_FILE, directory, SettingsFile, findings)


def _optional(path: Path, root: Path, model: type[M], findings: list[Finding]) -> Loaded[M] | None:
    return load_file(path, root, model, findings) if _present(path) else None


def _present(path: Path) -> bool:
    """There is something at ``path`` (a dangling link too: reading it is then a finding)."""
    return path.exists() or path.is_symlink()


def load_file(path: Path, root: Path, model: type[M], findings: list[Finding]) -> Loaded[M] | None:
    file = str(path)
    text = read_tree_file(path, root)
    if isinstance(text, Finding):
        findings.append(text)
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
    value = None if parsed.nulls else quick_value(model, parsed.value)
    if value is not None:
        return Loaded(file, value, parsed)
    # pydantic (its import and models) only for a file it must judge: a tree's files pass
    from pmp_reconcile.desired.errors_map import check_file

    checked = check_file(model, parsed, file)
    findings += checked.findings
    if checked.value is None:
        return None
    return Loaded(file, checked.value, parsed, checked.dropped)


def _empty(file: str, model: type[object]) -> Finding:
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


def inside(path: Path, root: Path) -> bool:
    """``path``, with every link followed, lies within ``root`` (itself resolved)."""
    try:
        return path.resolve(strict=True).is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # missing, or a loop of links
        return False


def read_tree_file(path: Path, root: Path) -> str | Finding:
    """The text of one tree file, or the finding that refuses it.

    The tree may come from a pull request, and git stores symbolic links: a file is read only
    if it resolves inside the tree, is a regular file (not a FIFO or a device, which could
    block or never end) and holds at most ``MAX_FILE_BYTES``. A refused file's content is never
    read, so it cannot be echoed into a message.
    """
    if path.is_symlink() and path.exists() and not inside(path, root):
        return _leaves(path, root)
    try:
        with open(path, "rb", opener=_nonblocking) as handle:
            refused = _refuse_kind(path, os.fstat(handle.fileno()))
            data = handle.read(MAX_FILE_BYTES + 1) if refused is None else b""
    except OSError as error:
        reason = error.strerror or str(error)
        return Finding(codes.UNREADABLE, f"cannot read: {reason}", Location(str(path)))
    return refused or _decoded(path, data)


def _nonblocking(name: str, flags: int) -> int:
    """Open without waiting: opening a FIFO for reading otherwise blocks until a writer comes."""
    return os.open(name, flags | os.O_NONBLOCK)


def _refuse_kind(path: Path, status: os.stat_result) -> Finding | None:
    if not stat.S_ISREG(status.st_mode):
        return Finding(
            codes.NOT_REGULAR_FILE,
            "not a regular file (a FIFO, device or socket is never read)",
            Location(str(path)),
            hint="replace it with a plain YAML file",
        )
    if status.st_size > MAX_FILE_BYTES:
        return _too_large(path)
    return None


def _decoded(path: Path, data: bytes) -> str | Finding:
    if len(data) > MAX_FILE_BYTES:  # it grew after the size was checked
        return _too_large(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return Finding(codes.UNREADABLE, "cannot read: it is not UTF-8 text", Location(str(path)))


def _too_large(path: Path) -> Finding:
    limit = MAX_FILE_BYTES // (1024 * 1024)
    return Finding(
        codes.TOO_LARGE,
        f"larger than {limit} MB: not read",
        Location(str(path)),
        hint="a tree file is a few kilobytes; split it or remove what does not belong",
    )


def _leaves(path: Path, root: Path) -> Finding:
    return Finding(
        codes.LEAVES_TREE,
        f"a link that leads outside the tree ({root}/): not read",
        Location(str(path)),
        hint="keep every file of the tree inside it; replace the link with the file itself",
    )
