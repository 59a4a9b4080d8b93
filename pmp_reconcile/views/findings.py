"""Findings as text for people, JSON for tools, GitHub workflow annotations, and the
pull-request comment that stands for the plan when the tree is invalid."""

from __future__ import annotations

import json
from collections.abc import Sequence

from pmp_reconcile.errors import Finding, Severity
from pmp_reconcile.views.formats import FINDINGS_FORMATS, OutputFormat

FORMATS = FINDINGS_FORMATS


def counts(findings: Sequence[Finding]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return errors, len(findings) - errors


def render_findings(
    findings: Sequence[Finding], output: OutputFormat, checked: str, commit: str | None = None
) -> str:
    """``checked`` names the tree in text; ``commit`` the commit in the markdown comment."""
    if output is OutputFormat.MARKDOWN:
        # the comment shares the plan comment's marker, whose module loads the plan's values
        from pmp_reconcile.views.tree_comment import render_tree_comment

        return render_tree_comment(findings, counts(findings), commit)
    if output is OutputFormat.JSON:
        return _json(findings)
    if output is OutputFormat.GITHUB:
        return _github(findings)
    return _text(findings, checked)


def render_trees(
    checked: Sequence[tuple[str, Sequence[Finding]]],
    output: OutputFormat,
    commit: str | None = None,
) -> str:
    """The findings of several trees: as text one block (and verdict) per tree; for tools one
    document, a finding in a file that several trees include given once."""
    if output is OutputFormat.TEXT:
        return "".join(_text(findings, label) for label, findings in checked)
    every = dict.fromkeys(f for _, findings in checked for f in findings)
    return render_findings(list(every), output, ", ".join(label for label, _ in checked), commit)


def _text(findings: Sequence[Finding], checked: str) -> str:
    lines = []
    for finding in findings:
        label = "" if finding.severity is Severity.ERROR else "warning: "
        lines.append(f"{finding.location}: {finding.code} {label}{finding.message}")
        if finding.hint:
            lines.append(f"    hint: {finding.hint}")
    errors, warnings = counts(findings)
    verdict = f"{checked}: {errors} error(s), {warnings} warning(s)"
    lines.append(
        verdict
        if errors
        else f"{checked}: valid" + (f" ({warnings} warning(s))" if warnings else "")
    )
    return "\n".join(lines) + "\n"


def _json(findings: Sequence[Finding]) -> str:
    errors, warnings = counts(findings)
    document = {
        "valid": errors == 0,
        "errors": errors,
        "warnings": warnings,
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "message": f.message,
                "file": f.location.file,
                "line": f.location.line,
                "column": f.location.column,
                "hint": f.hint,
            }
            for f in findings
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _github(findings: Sequence[Finding]) -> str:
    """``::error file=…,line=…,col=…::CODE message`` lines (escaped as GitHub documents)."""
    lines = []
    for f in findings:
        level = "error" if f.severity is Severity.ERROR else "warning"
        props = [f"file={_property(f.location.file)}"]
        if f.location.line:
            props.append(f"line={f.location.line}")
        if f.location.column:
            props.append(f"col={f.location.column}")
        text = f"{f.code} {f.message}" + (f"\nhint: {f.hint}" if f.hint else "")
        lines.append(f"::{level} {','.join(props)}::{_data(text)}")
    return "\n".join(lines) + ("\n" if lines else "")


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
