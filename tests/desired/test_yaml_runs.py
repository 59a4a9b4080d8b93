"""Long runs of list items read by a regular expression must read exactly as YAML reads them.

Each text here holds runs of ids (the shape of a big allow list) next to something that could
make the cut-out reading wrong: a quoted or multi-line scalar around the run, values that are
not strings, mixed indentation, CRLF, aliases, too many values. Every text must give the same
values, positions and messages as the pure-Python composer.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from test_yaml_composers import LIBYAML, mangled, needs_libyaml, on_both, outcome

from pmp_reconcile.desired import yaml_marks
from pmp_reconcile.desired.yaml_runs import MIN_RUN, PLACEHOLDER, cut_runs


def items(count: int, indent: str = "    ", first: int = 0, end: str = "\n") -> str:
    return "".join(f"{indent}- prod-{first + i:05d}{end}" for i in range(count))


LONG = MIN_RUN + 4
RUNS = [
    f"name: A\nproducts:\n  allow:\n{items(LONG)}  deny:\n{items(LONG, first=100)}",
    f"name: A\nproducts:\n  allow:\n{items(LONG)}",
    f"name: A\nproducts:\n  allow:\n{items(LONG)[:-1]}",
    f"a:\n{items(LONG, indent='')}b: 1\n",
    f"a:\n{items(LONG, end=chr(13) + chr(10))}b: 1\n",
    f"a:\n{items(LONG)}      more\nb: 1\n",
    f"a:\n{items(LONG)}\n      more\nb: 1\n",
    f"a: x\n{items(LONG)}b: 1\n",
    f"a: 'x\n{items(LONG)}'\n",
    f'a: "x\n{items(LONG)}"\n',
    f"a: x\n{items(LONG)}",
    f"a:\n{items(8)}    - 12\n{items(LONG, first=50)}",
    f"a:\n{items(8)}    - yes\n    - 2001-12-14\n{items(8, first=50)}",
    f"a:\n{items(LONG)}{items(LONG, indent='      ', first=50)}",
    f"a:\n{items(LONG)}   - prod-x\n",
    f"a:\n    -   prod-a\n{items(LONG)}    -  prod-z\n",
    f"a: &x\n{items(LONG)}b: *x\nc: *x\n",
    f"a:\n{items(LONG)}a:\n{items(LONG)}",
    f"a:\n{items(LONG)}  b: c\n",
    f"a:\n{items(LONG)}b: [1,\n{items(LONG)}]\n",
    f"a:\n  - - prod-a\n{items(LONG, indent='    ')}",
    f"a:\n{items(LONG)}    - {PLACEHOLDER}0\n",
    f"a:\n{items(LONG)}    - prod-x # a comment\n{items(LONG)}",
    f"a:\n{items(LONG)}b: c: d\n",
    f"a:\n{items(LONG, end='  ' + chr(10))}b: 1\n",
    f"a:\n{''.join(f'    -  prod-{i:05d}{chr(10)}' for i in range(LONG))}b: 1\n",
    f"a:\n{items(8)}    -   prod-q\n{items(LONG, first=50)}    - prod-r   \n",
    f"a:\n{items(yaml_marks.MAX_VALUES + 1, indent='')}",
    f"a:\n{items(yaml_marks.MAX_VALUES - 5, indent='')}",
]


@needs_libyaml
@pytest.mark.parametrize("text", RUNS, ids=range(len(RUNS)))
def test_a_text_with_runs_reads_as_the_pure_python_composer_reads_it(text: str) -> None:
    fast, pure = on_both(lambda: outcome(text))
    assert fast == pure


def test_a_long_list_is_cut_out_and_put_back_in_place() -> None:
    text = RUNS[0]
    cut = cut_runs(text)
    assert cut is not None
    assert len(cut.runs) == 2
    assert cut.text.count("\n") == text.count("\n")  # every later line keeps its number
    assert "prod-00003" not in cut.text
    run = cut.runs[f"{PLACEHOLDER}0"]
    assert run.values[:2] == ["prod-00000", "prod-00001"]
    assert (run.lines[0], run.columns[0]) == (4, 7)


@needs_libyaml
def test_the_cut_out_reading_is_the_one_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> None:
        raise AssertionError("the text was composed whole")

    monkeypatch.setattr(yaml_marks, "FAST_LOADER", LIBYAML)
    monkeypatch.setattr(yaml_marks, "_compose", refuse)
    parsed = yaml_marks.parse_yaml(RUNS[0])
    assert parsed is not None
    assert len(parsed.value["products"]["allow"]) == LONG
    assert parsed.position(("products", "deny", LONG - 1)) == yaml_marks.Position(4 + 2 * LONG, 7)


def test_only_product_ids_are_cut_out() -> None:
    text = f"a:\n{items(8)}    - 12\n{items(LONG, first=50)}"
    cut = cut_runs(text)
    assert cut is not None
    assert "    - 12\n" in cut.text
    assert [len(run.values) for run in cut.runs.values()] == [LONG - 1]
    aliases = "".join(f"    - alias{i}\n" for i in range(LONG))
    assert cut_runs(f"a:\n{aliases}") is None


SHAPES = [
    "00000000-0000-4000-8000-000000000001",
    "12345678-1234-1234-1234-123456789012",
    "2001abcd-0012-0014-0021-000000005943",
    "0e000000-0000-0000-0000-000000000000",
    "prod-abc123",
    "prodview-1e5",
]


@pytest.mark.parametrize("value", SHAPES)
def test_a_product_id_written_plain_is_a_string_to_yaml(value: str) -> None:
    assert yaml.safe_load(f"- {value}\n") == [value]


def run_mutants(count: int) -> Iterator[str]:
    """The texts above, mangled."""
    return mangled([t for t in RUNS if len(t) < 10_000], count)


@needs_libyaml
def test_mangled_texts_with_runs_read_as_the_pure_python_composer_reads_them() -> None:
    for text in run_mutants(600):
        fast, pure = on_both(lambda t=text: outcome(t))  # type: ignore[misc]
        assert fast == pure, repr(text)
