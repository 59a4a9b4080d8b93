"""Show the experiences changed outside git since this tool last applied them (``plan
--changed-outside``): a text block, a markdown section (the drift issue), a JSON member."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pmp_reconcile.views.formats import OutputFormat

TITLE = "Changed outside git since pmp-reconcile last applied them"
NOTE = "The plan above undoes these changes unless their files record them."
NEVER_APPLIED = "none of its latest change sets is pmp-reconcile's"


def render_outside_text(changed: Sequence[Mapping[str, Any]]) -> str:
    if not changed:
        return ""
    lines = ["", f"{TITLE}:"]
    for experience in changed:
        lines.append(f"  ~ {_title(experience)}")
        lines += [f"      {line}" for line in _change_set_lines(experience, "'")]
    return "\n".join([*lines, NOTE]) + "\n"


def render_outside_markdown(changed: Sequence[Mapping[str, Any]]) -> str:
    if not changed:
        return ""
    lines = ["", f"#### {TITLE}", "", NOTE, ""]
    for experience in changed:
        lines.append(f"- `{experience['experience']}` ({experience['id']})")
        lines += [f"  - {line}" for line in _change_set_lines(experience, "`")]
    return "\n".join(lines) + "\n"


def _title(experience: Mapping[str, Any]) -> str:
    where = f" ({experience['file']})" if experience["file"] else ""
    return f"experience '{experience['experience']}'{where} {experience['id']}"


def _change_set_lines(experience: Mapping[str, Any], quote: str) -> Iterator[str]:
    for change_set in experience["change_sets"]:
        name = f"{quote}{change_set['name']}{quote}"
        yield f"change set {name} ({change_set['id']}) ended {change_set['ended']}"
    if not experience["since_last_apply"]:
        yield NEVER_APPLIED


def with_outside(rendered: str, changed: Sequence[Mapping[str, Any]], output: OutputFormat) -> str:
    """A rendered plan with the section added (JSON: the ``changed_outside`` member)."""
    if output is OutputFormat.JSON:
        document = {**json.loads(rendered), "changed_outside": list(changed)}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output is OutputFormat.MARKDOWN:
        return rendered + render_outside_markdown(changed)
    return rendered + render_outside_text(changed)
