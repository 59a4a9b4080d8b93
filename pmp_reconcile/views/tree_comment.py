"""The pull-request comment for a tree that does not validate.

It takes the place of the plan comment (same marker, so the workflow updates that comment in
place): a plan of an older commit must not stay on the pull request as if it still held.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pmp_reconcile.errors import Finding, Severity
from pmp_reconcile.views.plan_markdown import COMMENT_MARKER, code_span, escape_markdown
from pmp_reconcile.views.plan_origin import TITLE


def render_tree_comment(
    findings: Sequence[Finding], counted: tuple[int, int], commit: str | None
) -> str:
    """Markdown naming the commit and every finding (``counted``: errors and warnings); the
    verdict says whether the tree is valid."""
    parts = [COMMENT_MARKER, f"### {TITLE}", "", _verdict(counted, commit)]
    parts += list(_table(findings))
    return "\n".join(parts) + "\n"


def _verdict(counted: tuple[int, int], commit: str | None) -> str:
    errors, warnings = counted
    at = f" at commit {commit}" if commit else ""
    if not errors:
        return f"**The desired-state tree is valid{at}** ({warnings} warning(s))."
    return (
        f"**The desired-state tree is invalid{at}**: {errors} error(s), {warnings} "
        "warning(s). No plan was made; the plan replaces this comment once the tree is fixed."
    )


def _table(findings: Sequence[Finding]) -> Iterator[str]:
    if not findings:
        return
    yield ""
    yield "| Where | Code | Problem |"
    yield "|---|---|---|"
    for finding in findings:
        label = "" if finding.severity is Severity.ERROR else "warning: "
        hint = f" (hint: {finding.hint})" if finding.hint else ""
        problem = escape_markdown(" ".join(f"{label}{finding.message}{hint}".splitlines()))
        yield f"| {code_span(str(finding.location))} | {finding.code} | {problem} |"
