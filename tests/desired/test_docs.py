"""docs/validation-rules.md documents every code the loader can report."""

from __future__ import annotations

import re
from pathlib import Path

from pmp_reconcile.desired import codes

DOC = Path(__file__).resolve().parents[2] / "docs" / "validation-rules.md"


def test_every_code_has_a_row_in_the_rules_document() -> None:
    documented = set(re.findall(r"^\| (D\d{3}) \|", DOC.read_text(encoding="utf-8"), re.M))
    defined = {v for k, v in vars(codes).items() if k.isupper() and isinstance(v, str)}
    assert documented == defined
