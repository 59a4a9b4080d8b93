"""Product ids as the Catalog API takes them: odd shapes load, with a hint (D043)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pmp_reconcile.desired.loader import load_with_findings
from pmp_reconcile.desired.products import (
    all_canonical_ids,
    canonical_id,
    has_documented_shape,
    is_product_id,
)
from pmp_reconcile.errors import Severity

ALIASES = "products:\n  splunk: 3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69\n"


def _tree(tmp_path: Path, reference: str, aliases: str = ALIASES) -> Path:
    (tmp_path / "experiences").mkdir()
    (tmp_path / "products.yaml").write_text(aliases)
    text = f"name: A\nproducts:\n  allow:\n    - '{reference}'\n"
    (tmp_path / "experiences" / "a.yaml").write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    ("reference", "hint"),
    [
        ("splunkk", "did you mean the alias 'splunk'?"),
        ("prod_abcdefghij", "it looks like a mistyped prod-… or prodview-… id"),
        ("PRODVIEW-ABC", "it looks like a mistyped prod-… or prodview-… id"),
        ("3f1c2e4a-0b6d-4c8e-9a7f", "it looks like a mistyped UUID"),
        ("exampleproduct42", "product ids are usually a UUID, prod-… or prodview-…"),
        ("x" * 50, "product ids are usually"),
    ],
)
def test_an_odd_id_loads_with_a_hint(tmp_path: Path, reference: str, hint: str) -> None:
    state, findings = load_with_findings(_tree(tmp_path, reference))
    assert state is not None
    assert state.experiences[0].allowed == {reference}
    (finding,) = findings
    assert (finding.code, finding.severity, finding.location.line) == (
        "D043",
        Severity.WARNING,
        4,
    )
    assert finding.hint is not None
    assert finding.hint.startswith(hint)


@pytest.mark.parametrize(
    "reference",
    ["splunk", "prod-abc123", "prodview-abc123", "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69"],
)
def test_aliases_and_documented_shapes_load_quietly(tmp_path: Path, reference: str) -> None:
    state, findings = load_with_findings(_tree(tmp_path, reference))
    assert state is not None
    assert findings == []


@pytest.mark.parametrize(
    ("reference", "code"),
    [("x" * 51, "D014"), ("splunk enterprise", "D023"), ("tab\there", "D023")],
)
def test_what_the_catalog_api_would_refuse_is_an_error(
    tmp_path: Path, reference: str, code: str
) -> None:
    state, findings = load_with_findings(_tree(tmp_path, reference))
    assert state is None
    assert [f.code for f in findings] == [code]


def test_an_alias_to_an_odd_id_is_hinted_at_in_products_yaml(tmp_path: Path) -> None:
    state, findings = load_with_findings(_tree(tmp_path, "odd", "products:\n  odd: prod_x\n"))
    assert state is not None
    assert state.experiences[0].allowed == {"prod_x"}
    assert [(f.code, Path(f.location.file).name, f.location.line) for f in findings] == [
        ("D043", "products.yaml", 2)
    ]


@pytest.mark.parametrize(
    ("text", "taken"),
    [("a", True), ("x" * 50, True), ("x" * 51, False), ("", False), ("a b", False)],
)
def test_the_catalog_api_takes_one_to_fifty_characters(text: str, taken: bool) -> None:
    assert is_product_id(text) is taken


_SPELLINGS = [
    "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69",
    "3F1C2E4A-0B6D-4C8E-9A7F-1E2D3C4B5A69",  # a UUID in upper case: not its one spelling
    "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a6",
    "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a690",
    "prod-abc123",
    "prod-",
    "prod-abc 123",
    "prodview-XYZ9",
    "prodview-",
    "prodview",
    "exampleproduct42",
    "",
    "prod-abc\n",
    "\nprod-abc",
    "prod-abc\nprod-def",
]


@pytest.mark.parametrize("seed", range(40))
def test_one_pass_over_many_ids_agrees_with_each_id_on_its_own(seed: int) -> None:
    """``all_canonical_ids`` checks a whole list in one match; it must say what checking every
    id by itself says, for lists of any length mixing good ids and near misses."""
    chosen = random.Random(seed)
    texts = [chosen.choice(_SPELLINGS) for _ in range(chosen.randrange(1, 8))]
    one_by_one = all(has_documented_shape(t) and canonical_id(t) == t for t in texts)
    assert all_canonical_ids(texts) is one_by_one, texts
