"""Files the README and docs tell a user to run with exist in the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MENTIONED = re.compile(r"(?<![\w/])((?:examples|desired_state|schema)/[\w./-]*\w)")


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_every_example_file_a_doc_names_exists(doc: Path) -> None:
    missing = sorted(
        {m for m in MENTIONED.findall(doc.read_text(encoding="utf-8")) if not (ROOT / m).exists()}
    )
    assert missing == []


TEXT_FIELD = re.compile(r"^\s*(name|description|title|information|notes): [^\"'\s][^#]*? #\S")


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_no_example_text_is_cut_short_by_a_comment(doc: Path) -> None:
    """YAML ends a plain value at ' #': an example text holding one must be quoted."""
    cut = [line for line in doc.read_text(encoding="utf-8").splitlines() if TEXT_FIELD.match(line)]
    assert cut == []
