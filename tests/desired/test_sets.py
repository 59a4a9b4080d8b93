"""Sets of products and included products files: what a tree that uses them loads to."""

from __future__ import annotations

from pathlib import Path

from pmp_reconcile.desired.loader import load_with_findings
from pmp_reconcile.errors import Severity

COMMON = """\
products:
  datadog: prod-datadog0001
  splunk: 3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69
sets:
  observability:
    - datadog
    - splunk
  baseline:
    - set: observability
    - id: prod-security0001
      notes: SR-1 review
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _shared_tree(root: Path) -> Path:
    """Two organizations' trees sharing common/products.yaml, outside either tree."""
    _write(
        root,
        {
            "common/products.yaml": COMMON,
            "orgs/one/desired_state/pmp.yaml": "include:\n  - ../../../common/products.yaml\n",
            "orgs/one/desired_state/experiences/a.yaml": (
                "name: A\nproducts:\n  allow:\n    - set: baseline\n    - prod-extra0001\n"
            ),
            "orgs/one/desired_state/experiences/b.yaml": (
                "name: B\nproducts:\n  deny:\n    - set: observability\n"
            ),
        },
    )
    return root / "orgs/one/desired_state"


def test_an_included_set_inside_a_set_expands_to_its_products(tmp_path: Path) -> None:
    state, findings = load_with_findings(_shared_tree(tmp_path))
    assert findings == []
    assert state is not None
    a, b = state.experiences
    assert a.allowed == {
        "prod-datadog0001",
        "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69",
        "prod-security0001",
        "prod-extra0001",
    }
    assert b.denied == {"prod-datadog0001", "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69"}
    assert dict(a.notes) == {"prod-security0001": "SR-1 review"}
    assert state.aliases["datadog"] == "prod-datadog0001"


def test_each_product_remembers_the_set_that_lists_it(tmp_path: Path) -> None:
    state, _ = load_with_findings(_shared_tree(tmp_path))
    assert state is not None
    a = state.experiences[0]
    assert dict(a.product_sets) == {
        "prod-datadog0001": "observability",
        "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69": "observability",
        "prod-security0001": "baseline",
    }
    assert a.product_sources["prod-datadog0001"].line == 4  # the '- set: baseline' line


def test_a_product_written_by_name_wins_over_the_set(tmp_path: Path) -> None:
    root = _shared_tree(tmp_path)
    (root / "experiences/a.yaml").write_text(
        "name: A\nproducts:\n  allow:\n    - set: baseline\n    - id: datadog\n      notes: own\n",
        encoding="utf-8",
    )
    state, findings = load_with_findings(root)
    assert state is not None, findings
    a = state.experiences[0]
    assert "prod-datadog0001" not in a.product_sets
    assert a.notes["prod-datadog0001"] == "own"


def test_an_empty_set_in_allow_is_only_a_warning(tmp_path: Path) -> None:
    _write(
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
    _write(
        tmp_path,
        {
            "products.yaml": "sets:\n  later: []\n",
            "experiences/a.yaml": "name: A\nproducts:\n  deny:\n    - set: later\n",
        },
    )
    assert load_with_findings(tmp_path)[1] == []


def test_a_cycle_names_every_set_and_where_it_is_written(tmp_path: Path) -> None:
    _write(
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
    _write(
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
    _write(
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
