"""Where a plan was made, said first by every plan view.

A plan made against the sandbox must never pass for one made against AWS, and a pull-request
comment must say which commit it is about, so a reviewer can tell it is current.
"""

from __future__ import annotations

from pmp_reconcile.plan.document import PlanDocument

TITLE = "pmp-reconcile plan"
SANDBOX = "against the sandbox (the embedded emulator), not the live AWS marketplace"


def origin_lines(document: PlanDocument) -> list[str]:
    """The sentences that open a text plan (the sandbox first, then the commit), and a blank
    line after them."""
    lines = []
    if document.get("sandbox"):
        lines.append(f"Planned {SANDBOX}.")
    if commit := document.get("commit"):
        lines.append(f"Planned for commit {commit}.")
    return [*lines, ""] if lines else []


def markdown_heading(document: PlanDocument) -> str:
    """The comment's first visible line, which says so when the plan is of the sandbox."""
    if document.get("sandbox"):
        return f"### {TITLE}: {SANDBOX}"
    return f"### {TITLE}"


def markdown_commit(document: PlanDocument) -> list[str]:
    """The commit in plain text, which GitHub links to the commit."""
    commit = document.get("commit")
    return ["", f"Planned for commit {commit}."] if commit else []
