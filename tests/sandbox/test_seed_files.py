"""Seed files: JSON is read by the JSON reader only where YAML would read the same value.

The YAML reader decides what a seed means; the JSON reader is the fast way for the big state
documents a benchmark writes. Each case here is read both ways and must come out the same,
or be an error in both.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmp_reconcile.cli import seed_files
from pmp_reconcile.cli.seed_files import read_seed
from pmp_reconcile.errors import InputError

CASES = [
    '{"experiences": [{"name": "A", "status": "Enabled"}]}',
    '{"format": 1, "entities": [], "tokens": {}, "n": -3, "f": 1.5, "g": -0.25e+3}',
    '{"a": 1e5, "b": 1.0e5, "c": "1e5"}',  # YAML 1.1: no dot, or no sign, is text
    '{"a": NaN, "b": Infinity}',  # JSON extensions: text to YAML
    '{"a": "caf\\u00e9", "b": "tab\\there", "c": "\\/"}',
    '{"a": 1, "a": 2}',  # both keep the last
    '{"a": null, "b": true, "c": false, "d": [], "e": {}}',
    '{\n\t"a": 1\n}',  # a tab: YAML refuses it, so it must stay refused
    '{"a": "\x7f"}',  # a character YAML refuses
    '\ufeff{"a": 1}',
    "[1, 2]",
    '{"a": 1',
]


def _by_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=seed_files._SeedLoader)
    except yaml.YAMLError:
        return "refused"


def _by_read_seed(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "seed.json"
    path.write_text(text, encoding="utf-8")
    try:
        return read_seed(path)
    except InputError as error:
        return "refused" if "not valid YAML or JSON" in str(error) else "not a mapping"


@pytest.mark.parametrize("text", CASES)
def test_a_seed_reads_as_yaml_reads_it(tmp_path: Path, text: str) -> None:
    expected = _by_yaml(text)
    if expected != "refused" and not isinstance(expected, dict):
        expected = "not a mapping"
    assert _by_read_seed(tmp_path, text) == expected


def test_a_big_state_document_is_read_by_the_json_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_yaml(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read by the YAML reader")

    monkeypatch.setattr(seed_files.yaml, "load", no_yaml)
    ids = [f"prod-{n:08d}" for n in range(20_000)]
    document = {"format": 1, "entities": [{"document": {"Ids": ids}}]}
    path = tmp_path / "state.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    assert read_seed(path) == document
