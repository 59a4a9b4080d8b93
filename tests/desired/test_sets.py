"""Sets of products and included products files: what a tree that uses them loads to."""

from __future__ import annotations

from pathlib import Path

from set_trees import DATADOG, GUARD, GUARD_NOTE, SPLUNK, shared_tree, write_files

from pmp_reconcile.desired.loader import load_with_findings
from pmp_reconcile.errors import Severity


def _shared_tree(root: Path) -> Path:
    return shared_tree(
        root,
        {
            "a": "name: A\nproducts:\n  allow:\n    - set: baseline\n    - prod-extra0001\n",
            "b": "name: B\nproducts:\n  deny:\n    - set: observability\n",
        },
    )


def test_an_included_set_inside_a_set_expands_to_its_products(tmp_path: Path) -> None:
    state, findings = load_with_findings(_shared_tree(tmp_path))
    assert findings == []
    assert state is not None
    a, b = state.experiences
    assert a.allowed == {
        DATADOG,
        SPLUNK,
        GUARD,
        "prod-extra0001",
    }
    assert b.denied == {DATADOG, SPLUNK}
    assert dict(a.notes) == {GUARD: GUARD_NOTE}
    assert state.aliases["datadog"] == DATADOG


def test_each_product_remembers_the_set_that_lists_it(tmp_path: Path) -> None:
    state, _ = load_with_findings(_shared_tree(tmp_path))
    assert state is not None
    a = state.experiences[0]
    assert dict(a.product_sets) == {
        DATADOG: "observability",
        SPLUNK: "observability",
        GUARD: "baseline",
    }
    assert a.product_sources[DATADOG].line == 4  # the '- set: baseline' line


def test_a_product_written_by_name_wins_over_the_set(tmp_path: Path) -> None:
    root = _shared_tree(tmp_path)
    (root / "experiences/a.yaml").write_text(
        "name: A\nproducts:\n  allow:\n    - set: baseline\n    - id: datadog\n      notes: own\n",
        encoding="utf-8",
    )
    state, findings = load_with_findings(root)
    assert state is not None, findings
    a = state.experiences[0]
    assert DATADOG not in a.product_sets
    assert a.notes[DATADOG] == "own"


def test_an_empty_set_in_allow_is_only_a_warning(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "products.yaml": "sets:\n  later: []\n",
            "experiences/a.yaml": "name: A\nproducts:\n  allow:\n    - set: later\n",
        },
    )
    state, findings = load_with_findings(tmp_path)
    assert state is not None
    assert [(f.code, f.severity, f.location.line) for f in findings] == [
        ("D047", Severity.WARNING, 4)
    ]


def test_an_empty_set_in_deny_says_nothing(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "products.yaml": "sets:\n  later: []\n",
            "experiences/a.yaml": "name: A\nproducts:\n  deny:\n    - set: later\n",
        },
    )
    assert load_with_findings(tmp_path)[1] == []


def test_a_cycle_names_every_set_and_where_it_is_written(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "products.yaml": "sets:\n  a:\n    - set: b\n  b:\n    - set: a\n",
            "experiences/x.yaml": "name: X\nproducts:\n  allow:\n    - set: a\n",
        },
    )
    state, findings = load_with_findings(tmp_path)
    assert state is None
    (cycle,) = [f for f in findings if f.code == "D046"]
    assert cycle.message == "sets include each other in a cycle: 'a' (line 2) → 'b' (line 4) → 'a'"
    assert str(cycle.location) == f"{tmp_path / 'products.yaml'}:2:3"


def test_an_unreadable_include_leaves_set_names_unjudged(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pmp.yaml": "include:\n  - shared/products.yaml\n",
            "shared/products.yaml": "sets: [oops\n",
            "experiences/x.yaml": "name: X\nproducts:\n  allow:\n    - set: anything\n",
        },
    )
    _, findings = load_with_findings(tmp_path)
    assert [f.code for f in findings] == ["D001"]


def test_sets_nested_too_deep_are_refused_without_a_traceback(tmp_path: Path) -> None:
    chain = "".join(f"  s{i}:\n    - set: s{i + 1}\n" for i in range(400))
    write_files(
        tmp_path,
        {
            "products.yaml": f"sets:\n{chain}  s400:\n    - prod-abc\n",
            "experiences/x.yaml": "name: X\nproducts:\n  allow:\n    - set: s0\n",
        },
    )
    state, findings = load_with_findings(tmp_path)
    assert state is None
    assert [f.code for f in findings] == ["D046"]
    assert "nested more than 50 deep, from 's0'" in findings[0].message
