"""YAML with positions: plain values plus the line and column of every key and value.

PyYAML's composed node tree carries marks; we walk it ourselves so that a duplicate key is
an error at its line (PyYAML silently keeps the last one) and every later message can point
at the exact place a value came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]
_NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass
class Parsed:
    """The document's value, where each path starts, and where each mapping key is written."""

    value: Any
    positions: dict[Path, Position] = field(default_factory=dict)
    key_positions: dict[Path, Position] = field(default_factory=dict)
    duplicates: list[tuple[str, Position, Position]] = field(default_factory=list)
    source_text: dict[Path, str] = field(default_factory=dict)
    nulls: list[Path] = field(default_factory=list)

    def position(self, path: Path) -> Position:
        """The value at ``path``, else its nearest ancestor (a missing key points at its parent)."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return found
        return Position(1, 1)

    def key_position(self, path: Path) -> Position:
        """Where the key of ``path`` is written (its value's position when not a key)."""
        return self.key_positions.get(path) or self.position(path)


class YamlSyntaxError(Exception):
    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.position = position


def parse_yaml(text: str) -> Parsed | None:
    """Parse one YAML document; None when it holds nothing (empty or only comments)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        raise YamlSyntaxError(_syntax_message(error), position) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(str(error), Position(1, 1)) from None
    if node is None:
        return None
    parsed = Parsed(value=None)
    parsed.value = _walk(node, (), parsed, yaml.SafeLoader(""))
    return parsed


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (error.context, error.problem) if p]
    return "YAML syntax: " + ", ".join(parts) if parts else "YAML syntax error"


def _walk(node: yaml.Node, path: Path, parsed: Parsed, loader: yaml.SafeLoader) -> Any:
    parsed.positions[path] = _position(node)
    if isinstance(node, yaml.MappingNode):
        return _mapping(node, path, parsed, loader)
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, (*path, i), parsed, loader) for i, item in enumerate(node.value)]
    parsed.source_text[path] = str(node.value)
    if node.tag == _NULL_TAG and path and path[-1] != "<key>":
        parsed.nulls.append(path)
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as error:
        raise YamlSyntaxError(f"YAML value: {error.problem}", _position(node)) from None


def _mapping(
    node: yaml.MappingNode, path: Path, parsed: Parsed, loader: yaml.SafeLoader
) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _walk(key_node, (*path, "<key>"), parsed, loader)
        parsed.positions.pop((*path, "<key>"), None)
        if not isinstance(key, str):
            key = str(key)
        child = (*path, key)
        if key in result:
            parsed.duplicates.append((key, _position(key_node), parsed.key_positions[child]))
            continue
        parsed.key_positions[child] = _position(key_node)
        result[key] = _walk(value_node, child, parsed, loader)
    return result


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)
