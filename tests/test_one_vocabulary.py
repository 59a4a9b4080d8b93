"""Each API name and plan code is written once: outside the sandbox (which restates AWS on
purpose) every change-type name, branding member and plan code is a string literal in exactly
one module, so a second list of them cannot grow back unnoticed."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmp_reconcile.catalog.vocabulary import BRANDING_MEMBERS, ChangeType
from pmp_reconcile.plan import codes

PACKAGE = Path(__file__).resolve().parents[1] / "pmp_reconcile"
WORDS = (
    [c.value for c in ChangeType]
    + list(BRANDING_MEMBERS.values())
    + [code.code for code in codes.ALL]
)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


@functools.cache
def _all_literals() -> dict[str, tuple[str, ...]]:
    """Module (relative path) → its string literals, docstrings left out; sandbox aside."""
    return {
        str(path.relative_to(PACKAGE)): tuple(_literals(path))
        for path in sorted(PACKAGE.rglob("*.py"))
        if "sandbox" not in path.relative_to(PACKAGE).parts
    }


def _literals(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.value


def _modules_writing(word: str) -> list[str]:
    pattern = re.compile(rf"\b{re.escape(word)}\b")
    return [
        module
        for module, texts in _all_literals().items()
        if any(pattern.search(text) for text in texts)
    ]


@pytest.mark.parametrize("word", WORDS)
def test_written_in_exactly_one_module(word: str) -> None:
    assert len(_modules_writing(word)) == 1, _modules_writing(word)
