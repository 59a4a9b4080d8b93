"""libyaml and the pure-Python composer must read every tree the same way.

The loader composes with libyaml when PyYAML has it and falls back to the pure-Python composer
for what libyaml refuses; every broken tree of the corpus and of the validate tables, and a set
of awkward texts, must give the same findings, values, positions and messages on both paths.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_corpus import CASES as CORPUS_CASES
from validate.test_broken_trees import CASES as TABLE_CASES
from validate.test_broken_trees import GOOD, exp, write

from pmp_reconcile.desired import yaml_marks
from pmp_reconcile.desired.loader import load_with_findings
from pmp_reconcile.desired.yaml_marks import YamlSyntaxError, parse_yaml
from pmp_reconcile.errors import Finding

TREES = Path(__file__).parent / "trees"
LIBYAML = yaml_marks.LIBYAML_LOADER
needs_libyaml = pytest.mark.skipif(LIBYAML is None, reason="PyYAML was built without libyaml")

AWKWARD = [
    "name: A\n",
    "\ufeffname: A\n",
    "name: A\r\nstatus: enabled\r\n",
    "name:\tA\n",
    "\tname: A\n",
    "name: A\n\tstatus: enabled\n",
    "name: A\x07\n",
    "name: 'A\n",
    'name: "A\\q"\n',
    "name: A\n  status: enabled\n",
    "name: [A\n",
    "name: {a: 1\n",
    "a: b: c\n",
    "- a\nb: c\n",
    "a: 1\na: 2\nb: {x: 1, x: 2}\n",
    "a: &x [*x]\n",
    "a: *nope\n",
    "a: &x 1\nb: &x 2\nc: *x\n",
    "a: &a [1, 2]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n",
    "base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2\n",
    "a: !custom 1\n",
    "a: !!int twelve\n",
    "a: !!binary aGVsbG8=\n",
    "a: 2001-12-14\nb: 0o17\nc: 1_000\nd: .inf\ne: ~\nf: yes\n",
    "? [a, b]\n: c\n",
    "? complex\n: key\n",
    "a: |\n  line one\n  line two\nb: >-\n  folded\n  text\n",
    "---\na: 1\n...\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.1\n---\na: 1\n",
    "%YAML 2.0\n---\na: 1\n",
    "%FOO bar\n---\na: 1\n",
    "a: @b\n",
    "a: `b\n",
    "- [" * 60 + "]" * 60 + "\n",
    "'" + "x" * 2000 + "\n",
    "name: caf\u00e9\nb: \U0001f600\n",
    "a: 1 # comment\n# only\n",
    "",
    "# only a comment\n",
    "---\n",
    "[1, 2, 3]\n",
    "just a value\n",
    "a:\n- 1\n- 2\n",
    "a: -\n",
    "a: - b\n",
    "a: b\n- c\n",
    "{a: 1}: b\n",
    "a: 'it''s'\n",
    'a: "\\u00e9\\x41"\n',
]


@contextmanager
def composer(loader: Any) -> Iterator[None]:
    """Compose with ``loader`` first (None: only the pure-Python composer) for a while."""
    before = yaml_marks.FAST_LOADER
    yaml_marks.FAST_LOADER = loader
    try:
        yield
    finally:
        yaml_marks.FAST_LOADER = before


def on_both(read: Callable[[], Any]) -> tuple[Any, Any]:
    with composer(LIBYAML):
        fast = read()
    with composer(None):
        pure = read()
    return fast, pure


def outcome(text: str) -> Any:
    """Everything the loader keeps from a text, or the error it raises."""
    try:
        parsed = parse_yaml(text)
    except YamlSyntaxError as error:
        return ("error", str(error), error.position)
    if parsed is None:
        return None
    fields = ("value", "positions", "key_positions", "duplicates", "source_text", "nulls", "items")
    return {name: getattr(parsed, name) for name in fields}


def findings_of(directory: Path) -> list[Finding]:
    return load_with_findings(directory)[1]


def yaml_texts() -> list[tuple[str, str]]:
    files = [
        *(p for case in CORPUS_CASES for p in case.rglob("*.yaml")),
        *TREES.rglob("*.yaml"),
    ]
    texts = [(str(p.relative_to(Path(__file__).parent)), p.read_text("utf-8")) for p in files]
    tables = [(f"{c.id}: {name}", text) for c in TABLE_CASES for name, text in c.files.items()]
    return texts + [(name, text) for name, text in tables if name.endswith(".yaml")]


@needs_libyaml
@pytest.mark.parametrize("text", AWKWARD)
def test_an_awkward_text_reads_the_same_on_both_composers(text: str) -> None:
    fast, pure = on_both(lambda: outcome(text))
    assert fast == pure


@needs_libyaml
def test_every_file_of_the_corpus_reads_the_same_on_both_composers() -> None:
    texts = yaml_texts()
    assert len(texts) > 100
    for name, text in texts:
        fast, pure = on_both(lambda t=text: outcome(t))  # type: ignore[misc]
        assert fast == pure, name


@needs_libyaml
@pytest.mark.parametrize("case", CORPUS_CASES, ids=[c.name for c in CORPUS_CASES])
def test_a_corpus_tree_gives_the_same_findings_on_both_composers(case: Path) -> None:
    fast, pure = on_both(lambda: findings_of(case))
    assert fast == pure
    assert fast


@needs_libyaml
@pytest.mark.parametrize("case", TABLE_CASES, ids=[c.id for c in TABLE_CASES])
def test_a_table_tree_gives_the_same_findings_on_both_composers(tmp_path: Path, case: Any) -> None:
    write(tmp_path, exp(GOOD))
    write(tmp_path, {**case.extra, **case.files})
    fast, pure = on_both(lambda: findings_of(tmp_path))
    assert fast == pure
    assert fast


@needs_libyaml
def test_libyaml_composes_what_it_can_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> None:
        raise AssertionError("the pure-Python composer ran for a text libyaml reads")

    monkeypatch.setattr(yaml_marks, "FAST_LOADER", LIBYAML)
    monkeypatch.setattr(yaml_marks, "_compose_python", refuse)
    parsed = parse_yaml("name: A\nprincipals: ['111111111111']\n")
    assert parsed is not None
    assert parsed.value == {"name": "A", "principals": ["111111111111"]}


def test_a_text_libyaml_refuses_gets_the_pure_python_message() -> None:
    with pytest.raises(YamlSyntaxError) as raised:
        parse_yaml("a: b: c\n")
    assert str(raised.value) == "YAML syntax: mapping values are not allowed here"
    assert raised.value.position == yaml_marks.Position(1, 5)


MUTATIONS = [
    *":-?[]{},#&*!|>'\"%@` \n\t\r\x85\u2028\ufeff\u00e9ab01.~<=",
    *("\r\n", "  ", "\n  ", "- ", ": ", "---", "...", "&a ", "*a", "!!str ", "<<: "),
]


def mangled(texts: Sequence[str], count: int) -> Iterator[str]:
    """``texts`` with a few characters inserted or deleted (a fixed seed: the same texts on
    every run, so a test over them cannot fail at random)."""
    rng = random.Random(20261129)
    for _ in range(count):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            at = rng.randint(0, len(text))
            if text and rng.random() < 0.3:
                text = text[:at] + text[at + 1 :]
            else:
                text = text[:at] + rng.choice(MUTATIONS) + text[at:]
        yield text


def mutants(count: int) -> Iterator[str]:
    """Texts of the corpus and the awkward ones, mangled."""
    return mangled([text for _, text in yaml_texts()] + AWKWARD, count)


@needs_libyaml
def test_mangled_texts_read_the_same_on_both_composers() -> None:
    for text in mutants(3000):
        fast, pure = on_both(lambda t=text: outcome(t))  # type: ignore[misc]
        assert fast == pure, repr(text)


PLAIN = [
    *("", "~", "null", "Null", "NULL", "yes", "No", "on", "OFF", "true", "False", "y", "n"),
    *("0", "-1", "+12", "0b101", "0o17", "017", "0x1F", "1_000", "1:20", "190:20:30"),
    *("1.5", "-.5", "1e3", "1.0e+3", ".inf", "-.Inf", ".NaN", "1:20.5", "6.8523015e+5"),
    *("2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 Z", "2001-1-1"),
    *("<<", "=", "!", "&", "*", "prod-abc", "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69", "12.34.56"),
    *("111111111111", "0123456789", "-", "+", ".", "é", "name", "ou-ab12-cdef3456"),
]


@needs_libyaml
@pytest.mark.parametrize("value", PLAIN)
def test_a_plain_scalar_gets_the_tag_pyyaml_gives_it(value: str) -> None:
    loader = LIBYAML("")
    for implicit in ((True, False), (False, True)):
        expected = yaml.SafeLoader("").resolve(yaml.ScalarNode, value, implicit)
        assert loader.resolve(yaml.ScalarNode, value, implicit) == expected
    for kind in (yaml.SequenceNode, yaml.MappingNode):
        assert loader.resolve(kind, None, (True, False)) == yaml.SafeLoader.resolve(
            yaml.SafeLoader(""), kind, None, (True, False)
        )
