"""Markdown rendering of a plan document for a pull-request comment or a job summary.

Warnings come first, then a summary table, then one collapsible section per experience. The
result stays under GitHub's 65,536-character comment limit: past a budget the per-experience
details are dropped for counts, with a pointer to the JSON plan artifact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pmp_reconcile.plan.codes import Severity
from pmp_reconcile.plan.document import (
    ActionDocument,
    ExperienceDocument,
    FieldChangeDocument,
    PlanDocument,
)
from pmp_reconcile.plan.values import ActionKind, ExperienceStatus
from pmp_reconcile.views.plan_origin import markdown_commit, markdown_heading
from pmp_reconcile.views.plan_sets import set_bullets
from pmp_reconcile.views.plan_text import ItemNames, change_types, summary_line

COMMENT_MARKER = "<!-- pmp-reconcile:plan -->"
GITHUB_COMMENT_LIMIT = 65_536
BUDGET = 60_000
MAX_ITEMS_SHOWN = 100
#: GitHub alert per warning severity, and the table icon per experience status.
ALERTS = {Severity.ERROR: "CAUTION", Severity.WARNING: "WARNING", Severity.INFO: "NOTE"}
ICONS = {
    ExperienceStatus.CREATE: "➕",
    ExperienceStatus.UPDATE: "✏️",
    ExperienceStatus.UNMANAGED: "❔",
    ExperienceStatus.UNCHANGED: "",
}


def render_markdown(document: PlanDocument, budget: int = BUDGET) -> str:
    full = _assemble(document, detailed=True)
    if len(full) <= budget:
        return full
    compact = _assemble(document, detailed=False)
    return compact if len(compact) <= budget else _truncate(compact, budget)


def _assemble(document: PlanDocument, detailed: bool) -> str:
    parts = [COMMENT_MARKER, markdown_heading(document), *markdown_commit(document)]
    parts += ["", f"**{summary_line(document['summary'])}**", *set_bullets(document)]
    parts += list(_warnings(document))
    parts += list(_table(document))
    if detailed:
        for experience in _changed(document):
            parts += list(_details(experience, ItemNames.of(document).within(experience)))
    else:
        parts += ["", _artifact_note()]
    parts += list(_waves(document))
    return "\n".join(parts) + "\n"


def _artifact_note() -> str:
    return (
        "_The plan is too large to show in full here: per-experience details are in the JSON "
        "plan (`plan.json` artifact of this run)._"
    )


def _truncate(text: str, budget: int) -> str:
    cut = text[: budget - 200].rsplit("\n", 1)[0]
    return f"{cut}\n\n… truncated. {_artifact_note()}\n"


def _changed(document: PlanDocument) -> list[ExperienceDocument]:
    return [e for e in document["experiences"] if e["actions"]]


def _warnings(document: PlanDocument) -> Iterator[str]:
    for warning in document["warnings"]:
        kind = ALERTS[Severity(warning["severity"])]
        yield ""
        yield f"> [!{kind}]"
        where = f"{code_span(warning['location'])} " if "location" in warning else ""
        yield f"> **{warning['code']}** {where}{escape_markdown(warning['message'])}"


def _table(document: PlanDocument) -> Iterator[str]:
    rows = _changed(document)
    if not rows:
        return
    yield ""
    yield "| | Experience | Id | Changes | High impact |"
    yield "|---|---|---|---|---|"
    for experience in rows:
        sign = ICONS[ExperienceStatus(experience["status"])]
        high = sum(1 for a in experience["actions"] if a["high_impact"])
        name = escape_markdown(f"{experience['key'] or experience['id']} ({experience['name']})")
        marker = f"⚠️ {high}" if high else ""
        count = len(experience["actions"])
        yield f"| {sign} | {name} | {experience['id'] or '(new)'} | {count} | {marker} |"


def _details(experience: ExperienceDocument, names: ItemNames) -> Iterator[str]:
    title = escape_markdown(f"{experience['key'] or experience['id']} ({experience['name']})")
    opened = " open" if any(a["high_impact"] for a in experience["actions"]) else ""
    yield ""
    yield f"<details{opened}><summary><b>{title}</b>: {experience['status']}</summary>"
    yield ""
    for action in experience["actions"]:
        yield from _action(action, names)
    yield ""
    yield "</details>"


def _action(action: ActionDocument, names: ItemNames) -> Iterator[str]:
    kind = ActionKind.of(action["kind"])
    sign, label = kind.sign.value, kind.label
    flag = " ⚠️" if action["high_impact"] else ""
    change = _before_after(action)
    yield f"- `{sign}` **{label}**{change}{flag}: {escape_markdown(action['reason'])}"
    if "fields" in action:
        yield from (f"  - {f['field']}{_before_after(f)}" for f in action["fields"])
        return
    items = action["items"]
    notes = action.get("notes", {})
    for item in items[:MAX_ITEMS_SHOWN]:
        name = names.name(item)
        note = f" — note: {escape_markdown(notes[item])}" if item in notes else ""
        named = f" {escape_markdown(name)}" if name else ""
        yield f"  - {code_span(names.label(item))}{named}{note}"
    if len(items) > MAX_ITEMS_SHOWN:
        yield f"  - … and {len(items) - MAX_ITEMS_SHOWN} more"


def _before_after(change: ActionDocument | FieldChangeDocument) -> str:
    before, after = change["before"], change["after"]
    if before is None and after is None:
        return ""
    shown_after = code_span(str(after))
    if before is None:
        return f" = {shown_after}"
    return f" {code_span(str(before))} → {shown_after}"


def _waves(document: PlanDocument) -> Iterator[str]:
    if not document["waves"]:
        return
    yield ""
    yield "<details><summary>Change sets</summary>"
    yield ""
    for wave in document["waves"]:
        yield f"- wave {wave['index']}: {wave['purpose']}"
        for chain in wave["chains"]:
            for change_set in chain["change_sets"]:
                yield f"  - `{change_set['name']}`: {change_types(change_set)}"
    yield ""
    yield "</details>"


def code_span(text: str) -> str:
    """Text shown as written: GitHub does not unescape inside code spans, so fence instead."""
    flat = " ".join(text.splitlines())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def escape_markdown(text: str) -> str:
    """Text safe in a table cell or a line of the comment."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
