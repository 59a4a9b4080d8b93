"""A ' #' after a plain text value starts a comment: the text is cut, so validate warns."""

from __future__ import annotations

from pathlib import Path

from pmp_reconcile.desired.loader import load_with_findings
from pmp_reconcile.errors import Severity


def _findings(tmp_path: Path, experience: str) -> list[tuple[str, str, int, str | None]]:
    (tmp_path / "experiences").mkdir()
    (tmp_path / "experiences" / "finance.yaml").write_text(experience, encoding="utf-8")
    state, findings = load_with_findings(tmp_path)
    assert state is not None
    return [
        (f.code, f.severity, f.location.line, f.hint)
        for f in findings
        if f.severity is Severity.WARNING
    ]


def test_a_comment_after_plain_branding_text_is_a_warning_at_its_line(tmp_path: Path) -> None:
    text = "name: Finance\nbranding:\n  information: Ask #finance-it first\n"
    found = _findings(tmp_path, text)
    assert found == [
        ("D044", Severity.WARNING, 3, 'quote it: information: "Ask #finance-it first"')
    ]


def test_quoted_text_and_comments_after_other_values_are_fine(tmp_path: Path) -> None:
    text = (
        "name: Finance  # a comment written the usual way\nstatus: enabled  #live\n"
        'branding:\n  information: "Ask #finance-it first"  # quoted\n'
    )
    assert _findings(tmp_path, text) == []
