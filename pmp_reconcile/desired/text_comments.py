"""Texts cut short by a comment: in YAML a plain value ends where ' #' begins.

``information: Ask #finance-it first`` reads as ``Ask``, valid and silently applied. In a text
field, a comment whose '#' touches the next word (``#finance-it``, ``#3``) after a plain value
is most likely meant as text: a warning with the fix (quote it) at its line. A comment written
the usual way (``# note``) is left alone, so annotated files stay quiet.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.spec import ExperienceFile
from pmp_reconcile.desired.tree import Loaded, Tree
from pmp_reconcile.errors import Finding, Severity

TEXT_PATHS: tuple[tuple[str, ...], ...] = (
    ("name",),
    ("description",),
    ("branding", "title"),
    ("branding", "information"),
)


def check_cut_texts(tree: Tree) -> Iterator[Finding]:
    for loaded in tree.experiences.values():
        yield from _cut_texts(loaded)


def _cut_texts(loaded: Loaded[ExperienceFile]) -> Iterator[Finding]:
    lines: list[str] | None = None
    for path in TEXT_PATHS:
        value, position = _value(loaded.parsed.value, path), loaded.parsed.positions.get(path)
        if not isinstance(value, str) or position is None:
            continue
        lines = lines if lines is not None else _lines(loaded.file)
        comment = _comment_after(lines, position.line, position.column, value)
        if comment is not None:
            yield _finding(loaded, path, value, comment)


def _value(document: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        document = document.get(step) if isinstance(document, dict) else None
    return document


def _lines(file: str) -> list[str]:
    try:
        return Path(file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _comment_after(lines: list[str], line: int, column: int, value: str) -> str | None:
    """The comment written after ``value`` on its line, when the value is plain."""
    if not 0 < line <= len(lines):
        return None
    rest = lines[line - 1][column - 1 :]
    if not rest.startswith(value):
        return None  # quoted, folded or spread over lines: no comment can cut it
    after = rest[len(value) :]
    comment = after.lstrip()
    # '#word' reads as text (a channel, a tag, a number); '# words' is the usual comment
    if after[:1].isspace() and comment.startswith("#") and comment[1:2].strip():
        return comment.rstrip()
    return None


def _finding(
    loaded: Loaded[ExperienceFile], path: tuple[str, ...], value: str, comment: str
) -> Finding:
    field = path[-1]
    return Finding(
        codes.TEXT_CUT_BY_COMMENT,
        f"{'.'.join(path)} reads as '{value}': YAML takes '{comment}' for a comment",
        loaded.at(*path),
        hint=f'quote it: {field}: "{value} {comment}"',
        severity=Severity.WARNING,
    )
