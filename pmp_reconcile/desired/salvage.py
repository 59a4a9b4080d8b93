"""What can still be checked in a file that failed its model.

Cross-file rules (a principal in two experiences, unknown aliases…) should report in the
same run as the file's own errors, so a file with a bad field is checked without that field:
each failing key is dropped (a whole list, never one item, so positions stay true) and the
rest validated again. A file whose required keys fail cannot be salvaged.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pmp_reconcile.desired.yaml_marks import Path

M = TypeVar("M", bound=BaseModel)


def salvage(model: type[M], data: Any, bad: Iterable[Path]) -> tuple[M | None, tuple[Path, ...]]:
    """The model of ``data`` without the keys at (or above the list items of) ``bad``."""
    dropped = tuple(sorted({_droppable(path) for path in bad if _droppable(path)}, key=str))
    trimmed = copy.deepcopy(data)
    for path in dropped:
        _drop(trimmed, path)
    try:
        return model.model_validate(trimmed), dropped
    except ValidationError:
        return None, dropped


def _droppable(path: Path) -> Path:
    """The path cut before its first list index: the key that holds the failing value."""
    for index, part in enumerate(path):
        if isinstance(part, int):
            return path[:index]
    return path


def _drop(data: Any, path: Path) -> None:
    parent = data
    for part in path[:-1]:
        if not isinstance(parent, dict) or part not in parent:
            return
        parent = parent[part]
    if isinstance(parent, dict):
        parent.pop(path[-1], None)
