"""The three renderings of findings: text for people, JSON for tools, GitHub annotations."""

from __future__ import annotations

import json

from pmp_reconcile.errors import Finding, Location, Severity
from pmp_reconcile.views.findings import counts, render_findings
from pmp_reconcile.views.formats import OutputFormat

ERROR = Finding("D010", "unknown key 'x'", Location("t/a.yaml", 2, 1), hint="did you mean 'y'?")
WARNING = Finding("D008", "b.txt is not read", Location("t/b.txt"), severity=Severity.WARNING)
ODD = Finding("D023", "50% of it\nbroken", Location("t/dir,x:y.yaml", 1, 3))


def test_text_has_one_line_per_finding_an_indented_hint_and_a_verdict() -> None:
    assert render_findings([ERROR, WARNING], OutputFormat.TEXT, "t") == (
        "t/a.yaml:2:1: D010 unknown key 'x'\n"
        "    hint: did you mean 'y'?\n"
        "t/b.txt: D008 warning: b.txt is not read\n"
        "t: 1 error(s), 1 warning(s)\n"
    )


def test_text_of_a_clean_tree_says_valid() -> None:
    assert render_findings([], OutputFormat.TEXT, "t") == "t: valid\n"
    assert render_findings([WARNING], OutputFormat.TEXT, "t").endswith("t: valid (1 warning(s))\n")


def test_json_carries_every_field() -> None:
    document = json.loads(render_findings([ERROR, WARNING], OutputFormat.JSON, "t"))
    assert (document["valid"], document["errors"], document["warnings"]) == (False, 1, 1)
    assert document["findings"][0] == {
        "code": "D010",
        "severity": "error",
        "message": "unknown key 'x'",
        "file": "t/a.yaml",
        "line": 2,
        "column": 1,
        "hint": "did you mean 'y'?",
    }


def test_github_lines_are_workflow_commands_with_the_code_first() -> None:
    assert render_findings([ERROR, WARNING], OutputFormat.GITHUB, "t").splitlines() == [
        "::error file=t/a.yaml,line=2,col=1::D010 unknown key 'x'%0Ahint: did you mean 'y'?",
        "::warning file=t/b.txt::D008 b.txt is not read",
    ]


def test_github_escapes_what_would_break_a_command() -> None:
    assert render_findings([ODD], OutputFormat.GITHUB, "t") == (
        "::error file=t/dir%2Cx%3Ay.yaml,line=1,col=3::D023 50%25 of it%0Abroken\n"
    )


def test_counts_split_errors_from_warnings() -> None:
    assert counts([ERROR, WARNING, ERROR]) == (2, 1)
