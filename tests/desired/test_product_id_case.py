"""Product ids in upper case: a UUID's hex names the same product in either case."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmp_reconcile.desired.loader import load_desired_state
from pmp_reconcile.errors import ValidationFailed

UPPER = "3F1C2E4A-0B6D-4C8E-9A7F-1E2D3C4B5A69"


def _tree(tmp_path: Path, experience: str, products: str = "products: {}\n") -> Path:
    (tmp_path / "experiences").mkdir()
    (tmp_path / "products.yaml").write_text(products, encoding="utf-8")
    (tmp_path / "experiences" / "finance.yaml").write_text(experience, encoding="utf-8")
    return tmp_path


def test_an_upper_case_uuid_is_the_lower_case_product(tmp_path: Path) -> None:
    tree = _tree(tmp_path, f"name: Finance\nproducts:\n  allow:\n    - {UPPER}\n")
    (finance,) = load_desired_state(tree).experiences
    assert finance.allowed == {UPPER.lower()}


def test_an_alias_to_an_upper_case_uuid_names_the_lower_case_product(tmp_path: Path) -> None:
    products = f"products:\n  splunk: {UPPER}\n"
    tree = _tree(tmp_path, "name: Finance\nproducts:\n  allow:\n    - splunk\n", products)
    (finance,) = load_desired_state(tree).experiences
    assert finance.allowed == {UPPER.lower()}


def test_allowing_and_denying_one_product_in_two_cases_is_a_conflict(tmp_path: Path) -> None:
    text = f"name: Finance\nproducts:\n  allow:\n    - {UPPER}\n  deny:\n    - {UPPER.lower()}\n"
    with pytest.raises(ValidationFailed) as failed:
        load_desired_state(_tree(tmp_path, text))
    assert any("allowed and denied" in f.message for f in failed.value.findings), [
        f.message for f in failed.value.findings
    ]
