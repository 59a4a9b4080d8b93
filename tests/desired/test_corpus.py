"""The broken-tree corpus: every case names the exact code, file and line it must produce.

Each directory under ``corpus/`` is a desired-state tree with an ``expected.txt`` listing
``CODE file:line`` (and optionally ``| hint``) per finding; the findings must be exactly those.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pmp_reconcile.desired.loader import load_with_findings
from pmp_reconcile.errors import Finding

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


@dataclass(frozen=True)
class Expected:
    code: str
    file: str
    line: int
    hint: str | None


def expectations(case: Path) -> list[Expected]:
    result = []
    for row in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        where, _, hint = row.partition(" | ")
        code, place = where.split(" ")
        file, line = place.rsplit(":", 1)
        result.append(Expected(code, file, int(line), hint or None))
    return result


def seen(case: Path, finding: Finding) -> tuple[str, str, int]:
    file = Path(finding.location.file).relative_to(case).as_posix()
    return finding.code, file or ".", finding.location.line


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 35


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_broken_tree_gives_exactly_its_findings(case: Path) -> None:
    state, findings = load_with_findings(case)
    expected = expectations(case)
    assert state is None
    assert sorted(seen(case, f) for f in findings) == sorted(
        (e.code, e.file, e.line) for e in expected
    )
    hints = {seen(case, f): f.hint for f in findings}
    for e in expected:
        if e.hint is not None:
            assert hints[(e.code, e.file, e.line)] == e.hint
