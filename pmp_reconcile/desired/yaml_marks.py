"""YAML with positions: plain values plus the line and column of every key and value.

PyYAML's composed node tree carries marks; we walk it ourselves so that a duplicate key is
an error at its line (PyYAML silently keeps the last one) and every later message can point
at the exact place a value came from.

libyaml (PyYAML's C parser) composes the tree about ten times faster than the pure-Python
composer and keeps the same marks, so it is used when PyYAML was built with it. Its error
messages are worded differently, though, so a text libyaml refuses is composed again by the
pure-Python composer: users (and the goldens) only ever see its messages.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from pmp_reconcile.desired.yaml_libyaml import libyaml_loader
from pmp_reconcile.desired.yaml_runs import Cut, Run, cut_runs

Path = tuple[str | int, ...]
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
#: What libyaml reads differently from the pure-Python composer (it accepts more, or marks
#: empty values and odd line breaks at other columns): a text holding any of these, past a
#: byte-order mark at its start, is composed by the pure-Python composer alone. Trees rarely
#: hold them, and never in the long product lists where libyaml's speed matters.
#: Three searches, each quick to skip through a text, rather than one that tries every
#: alternative at every character.
_UNUSUAL = (
    re.compile(r"[\t\x85\u2028\u2029\ufeff?!|>%@`{}]"),
    re.compile(r"\r(?!\n)"),
    re.compile(r"[\[,:]\s*[\],]"),
)


@dataclass(frozen=True, slots=True)
class Position:
    line: int
    column: int


@dataclass
class Parsed:
    """The document's value, where each path starts, and where each mapping key is written.

    The items of a list are placed by ``items`` (two compact arrays per list: lines and
    columns) rather than a :class:`Position` each: a tree can list millions of product ids.
    ``source_text`` holds the written text of scalars that are not plain strings of a list
    (those are written as they read); :meth:`written` answers for both.
    """

    value: Any
    positions: dict[Path, Position] = field(default_factory=dict)
    key_positions: dict[Path, Position] = field(default_factory=dict)
    duplicates: list[tuple[str, Position, Position]] = field(default_factory=list)
    source_text: dict[Path, str] = field(default_factory=dict)
    nulls: list[Path] = field(default_factory=list)
    items: dict[Path, tuple[array[int], array[int]]] = field(default_factory=dict)

    def position(self, path: Path) -> Position:
        """The value at ``path``, else its nearest ancestor (a missing key points at its parent)."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            found = self.positions.get(prefix) or self._item_position(prefix)
            if found is not None:
                return found
        return Position(1, 1)

    def key_position(self, path: Path) -> Position:
        """Where the key of ``path`` is written (its value's position when not a key)."""
        return self.key_positions.get(path) or self.position(path)

    def written(self, path: Path) -> str | None:
        """The text written for the scalar at ``path`` (None for a list, mapping or nothing)."""
        text = self.source_text.get(path)
        if text is None and path and isinstance(path[-1], int) and path[:-1] in self.items:
            value = _value_at(self.value, path)
            return value if isinstance(value, str) else None
        return text

    def _item_position(self, path: Path) -> Position | None:
        if not path or not isinstance(path[-1], int):
            return None
        marks = self.items.get(path[:-1])
        if marks is None or not 0 <= path[-1] < len(marks[0]):
            return None
        return Position(marks[0][path[-1]], marks[1][path[-1]])


def _value_at(value: Any, path: Path) -> Any:
    try:
        for step in path:
            value = value[step]
    except (KeyError, IndexError, TypeError):
        return None
    return value


#: libyaml's loader when PyYAML has it (else None), and the composer tried first: tests set
#: ``FAST_LOADER`` to None to run the pure-Python composer alone.
LIBYAML_LOADER: Any = libyaml_loader()
FAST_LOADER: Any = LIBYAML_LOADER


class YamlSyntaxError(Exception):
    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.position = position


MAX_VALUES = 100_000


def parse_yaml(text: str) -> Parsed | None:
    """Parse one YAML document; None when it holds nothing (empty or only comments)."""
    # The runs cut out hold none of the characters _libyaml_reads looks for (nor a place where
    # one of its pairs could start or end), so the cut text, often a fraction of the original,
    # answers for the whole.
    cut = cut_runs(text) if FAST_LOADER is not None else None
    fast = _parse_cut(cut) if cut is not None and _libyaml_reads(cut.text) else None
    if fast is not None:
        return fast
    node = _compose(text)
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG):
        return None
    parsed = Parsed(value=None)
    try:
        parsed.value = _Walker(parsed).walk(node, ())
    except RecursionError:
        raise YamlSyntaxError("YAML syntax: nested too deeply", Position(1, 1)) from None
    return parsed


def _parse_cut(cut: Cut) -> Parsed | None:
    """The document read from a text with its runs of ids cut out (see :mod:`yaml_runs`);
    None when that reading is not to be trusted, and the original text is read instead."""
    try:
        node = yaml.compose(cut.text, Loader=FAST_LOADER)
    except Exception:  # the original text gets the message
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    parsed = Parsed(value=None)
    walker = _Walker(parsed, cut.runs)
    try:
        parsed.value = walker.walk(node, ())
    except (YamlSyntaxError, RecursionError):
        return None
    return parsed if walker.expanded == set(cut.runs) else None


def _libyaml_reads(text: str) -> bool:
    """libyaml is there and reads ``text`` as the pure-Python composer does."""
    start = 1 if text.startswith("\ufeff") else 0
    return FAST_LOADER is not None and not any(p.search(text, start) for p in _UNUSUAL)


def _compose(text: str) -> yaml.Node | None:
    """The node tree: libyaml's when it reads the text, else the pure-Python composer's."""
    if _libyaml_reads(text):
        try:
            return yaml.compose(text, Loader=FAST_LOADER)
        except Exception:  # whatever libyaml refuses, the pure-Python composer judges below
            pass
    return _compose_python(text)


def _compose_python(text: str) -> yaml.Node | None:
    """PyYAML's node tree, with every way it can fail turned into a positioned error."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        raise YamlSyntaxError(_syntax_message(error), position) from None
    except yaml.reader.ReaderError as error:
        character = error.character
        code = f"#x{character:04x}" if isinstance(character, int) else repr(character)
        message = f"YAML syntax: {error.reason} (character {code})"
        raise YamlSyntaxError(message, _offset_position(text, error.position)) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(f"YAML syntax: {error}", Position(1, 1)) from None
    except RecursionError:
        raise YamlSyntaxError("YAML syntax: nested too deeply", Position(1, 1)) from None


def _offset_position(text: str, offset: int) -> Position:
    before = text[:offset]
    return Position(before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (error.context, error.problem) if p]
    return "YAML syntax: " + ", ".join(parts) if parts else "YAML syntax error"


class _Walker:
    """Builds plain values from nodes, recording positions; refuses alias loops and bombs."""

    def __init__(self, parsed: Parsed, runs: Mapping[str, Run] | None = None) -> None:
        self.parsed = parsed
        self.loader = yaml.SafeLoader("")
        self.active: set[int] = set()
        self.count = 0
        self.runs = runs or {}
        self.expanded: set[str] = set()

    def walk(self, node: yaml.Node, path: Path) -> Any:
        self._guard(node)
        self.parsed.positions[path] = _position(node)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return self._sequence(node, path)
            return self._scalar(node, path)
        finally:
            self.active.discard(id(node))

    def _guard(self, node: yaml.Node) -> None:
        if id(node) in self.active:
            raise YamlSyntaxError("YAML syntax: an alias refers to itself", _position(node))
        self._count(node)

    def _count(self, node: yaml.Node) -> None:
        self.count += 1
        if self.count > MAX_VALUES:
            message = f"YAML syntax: more than {MAX_VALUES} values (aliases expanding?)"
            raise YamlSyntaxError(message, _position(node))

    def _sequence(self, node: yaml.SequenceNode, path: Path) -> list[Any]:
        """The items, placed in two arrays; plain strings (long lists of ids) go the short way.

        A string item needs no alias check (no alias can loop through a scalar), its position
        is in the arrays and its written text is its value.
        """
        values: list[Any] = []
        lines, columns = array("L"), array("L")
        for item in node.value:
            if item.__class__ is yaml.ScalarNode and item.tag == _STR_TAG:
                run = self._run(item)
                if run is not None:
                    values += run.values
                    lines += run.lines
                    columns += run.columns
                    continue
                self._count(item)
                values.append(item.value)
            else:
                values.append(self.walk(item, (*path, len(values))))
            lines.append(item.start_mark.line + 1)
            columns.append(item.start_mark.column + 1)
        self.parsed.items[path] = (lines, columns)
        return values

    def _run(self, item: yaml.ScalarNode) -> Run | None:
        """The run of ids a placeholder item stands for, if it is one, written where it was."""
        run = self.runs.get(item.value)
        if run is None or item.style:  # quoted, literal or folded (plain is None or "")
            return None
        mark = item.start_mark
        if (mark.line + 1, mark.column + 1) != (run.lines[0], run.columns[0]):
            return None
        self.count += len(run.values) - 1
        self._count(item)
        self.expanded.add(item.value)
        return run

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        self.parsed.source_text[path] = str(node.value)
        if node.tag == _STR_TAG:
            return node.value  # what SafeConstructor returns, for the most common node
        if node.tag == _NULL_TAG and path and path[-1] != "<key>":
            self.parsed.nulls.append(path)
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            raise YamlSyntaxError(f"YAML value: {error.problem}", _position(node)) from None
        except Exception as error:  # an explicit tag can make any constructor fail
            text = str(node.value) if len(str(node.value)) <= 40 else f"{str(node.value)[:37]}..."
            message = f"YAML value: '{text}' cannot be read as {node.tag} ({error})"
            raise YamlSyntaxError(message, _position(node)) from None

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.walk(key_node, (*path, "<key>"))
            self.parsed.positions.pop((*path, "<key>"), None)
            key = key if isinstance(key, str) else str(key)
            child = (*path, key)
            if key in result:
                first = self.parsed.key_positions[child]
                self.parsed.duplicates.append((key, _position(key_node), first))
                continue
            self.parsed.key_positions[child] = _position(key_node)
            result[key] = self.walk(value_node, child)
        return result


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)
