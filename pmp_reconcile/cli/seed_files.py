"""Seed and settings files of the sandbox: a mapping in YAML or JSON, or a clear error.

JSON is YAML, and the YAML reader decides what a file means; but a seed that is a whole state
document of a big marketplace (millions of product ids) takes the pure-Python YAML reader many
minutes. Text that reads to the same value both ways is read by the JSON reader instead: a
mapping or list with no tab and no character YAML refuses, whose numbers YAML reads alike.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.reader import Reader

from pmp_reconcile.errors import InputError, Location

SEED_HINT = "a seed is a YAML or JSON mapping (see docs/sandbox.md, 'Seeds')"
SETTINGS_HINT = "settings are the document of settings.json (see docs/sandbox.md, 'Settings')"

# YAML 1.1 reads a number with a dot, and an exponent only with its sign, as a float; JSON's
# other floats ("1e5", "1.0e5") are text to YAML.
_YAML_FLOAT = re.compile(r"-?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?")


class _UnbuiltValue(yaml.YAMLError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message, self.line = message, line


class _SeedLoader(yaml.SafeLoader):
    """SafeLoader that names a plain value it tags but cannot build (``0b_``, ``2024-13-45``)."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError):  # what int(), float() and date() raise
            kind = str(node.tag).rsplit(":", 1)[-1]
            message = f"'{node.value}' is not a valid {kind}: quote it to keep it as text"
            raise _UnbuiltValue(message, node.start_mark.line + 1) from None


class _ReadsOtherwise(ValueError):
    """The YAML reader would read this JSON differently (or refuse it)."""


def read_seed(path: Path, what: str = "seed", hint: str = SEED_HINT) -> dict[str, Any]:
    """The mapping in a YAML or JSON file; an InputError naming the file otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise InputError(f"cannot read {what} file {path}: {problem}", hint=hint) from None
    try:
        document = _as_json(text)
        if document is None:
            document = yaml.load(text, Loader=_SeedLoader)  # a SafeLoader: builds no objects
    except _UnbuiltValue as problem:
        location = Location(str(path), problem.line)
        raise InputError(problem.message, location=location, hint=hint) from None
    except yaml.YAMLError as problem:
        raise InputError(
            f"{what} file {path} is not valid YAML or JSON: {problem}", hint=hint
        ) from None
    if not isinstance(document, dict):
        raise InputError(f"{what} file {path} must hold a mapping at its top level", hint=hint)
    return document


def _as_json(text: str) -> dict[str, Any] | list[Any] | None:
    """The JSON value of ``text`` when YAML reads the same; None when YAML must decide."""
    if not text.lstrip(" \r\n").startswith(("{", "[")) or "\t" in text:
        return None
    if Reader.NON_PRINTABLE.search(text):
        return None
    try:
        value: dict[str, Any] | list[Any] = json.loads(
            text, parse_float=_float, parse_constant=_refused
        )
    except ValueError:  # not JSON, or JSON that YAML reads otherwise
        return None
    return value


def _float(token: str) -> float:
    if not _YAML_FLOAT.fullmatch(token):
        raise _ReadsOtherwise(token)
    return float(token)


def _refused(token: str) -> float:
    raise _ReadsOtherwise(token)  # NaN and Infinity are JSON extensions; YAML reads text
