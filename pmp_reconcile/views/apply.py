"""Show an ApplyResult: text for the terminal, markdown for the CI job page."""

from __future__ import annotations

import json
from collections.abc import Iterator

from pmp_reconcile.apply.result import ApplyResult, ChangeSetResult, Outcome
from pmp_reconcile.views.formats import APPLY_FORMATS, OutputFormat

FORMATS = APPLY_FORMATS

ICONS = {
    Outcome.SUCCEEDED: "✅",
    Outcome.FAILED: "❌",
    Outcome.CANCELLED: "⛔",
    Outcome.SKIPPED: "⏭️",
    Outcome.NOT_STARTED: "⏸️",
}


TREE_CHANGED = "the tree changed since the plan was saved"


def _left_label(result: ApplyResult) -> str:
    """What differs after apply: drift, unless failed change sets explain it."""
    return "still to do" if result.failed else "drift"


def headline(result: ApplyResult) -> str:
    counts: dict[Outcome, int] = {}
    for item in result.change_sets:
        counts[item.outcome] = counts.get(item.outcome, 0) + 1
    parts = [f"{n} {o.value.lower().replace('_', ' ')}" for o, n in counts.items()]
    verdict = "Apply complete" if result.ok else "Apply FAILED"
    if result.interrupted:
        verdict = "Apply interrupted"
    return f"{verdict}: {', '.join(parts) or 'nothing to do'}."


def _error_lines(item: ChangeSetResult, indent: str) -> Iterator[str]:
    if item.failure_description:
        yield f"{indent}{item.failure_code or 'error'}: {item.failure_description}"
    for error in item.errors:
        where = f" ({error.file})" if error.file else ""
        subject = f"{error.change_type} on '{error.experience}'{where}"
        yield f"{indent}{subject}: {error.code}: {error.message}"
    if item.note:
        yield f"{indent}{item.note}"


def render_result_text(result: ApplyResult) -> str:
    lines = []
    for item in result.change_sets:
        ident = f" [{item.change_set_id}]" if item.change_set_id else ""
        lines.append(f"{item.outcome.value:<11} {item.name}{ident}")
        if item.outcome is not Outcome.SUCCEEDED:
            lines += list(_error_lines(item, "            "))
    lines += [f"{_left_label(result)}: {d}" for d in result.drift]
    lines += [f"note: {TREE_CHANGED}: {d}" for d in result.tree_changed]
    lines.append(headline(result))
    return "\n".join(lines) + "\n"


def render_result_markdown(result: ApplyResult) -> str:
    lines = ["### pmp-reconcile apply", "", f"**{headline(result)}**", ""]
    if result.change_sets:
        lines += ["| | Change set | Id | Started | Ended |", "|---|---|---|---|---|"]
        for item in result.change_sets:
            lines.append(
                f"| {ICONS[item.outcome]} | `{item.name}` | {item.change_set_id or ''} "
                f"| {item.started_at or ''} | {item.ended_at or ''} |"
            )
    failures = [i for i in result.change_sets if i.outcome is not Outcome.SUCCEEDED]
    if failures:
        lines += ["", "#### Problems", ""]
        for item in failures:
            lines.append(f"- `{item.name}`: {item.outcome.value}")
            lines += [f"  - {line.strip()}" for line in _error_lines(item, "")]
    if result.drift:
        title = _left_label(result).capitalize()
        lines += ["", f"#### {title} after apply", ""] + [f"- {d}" for d in result.drift]
    if result.tree_changed:
        lines += ["", f"#### Note: {TREE_CHANGED}", ""] + [f"- {d}" for d in result.tree_changed]
    return "\n".join(lines) + "\n"


def render_result(result: ApplyResult, output: OutputFormat) -> str:
    if output is OutputFormat.JSON:
        return json.dumps(result.to_document(), indent=2) + "\n"
    if output is OutputFormat.MARKDOWN:
        return render_result_markdown(result)
    return render_result_text(result)
