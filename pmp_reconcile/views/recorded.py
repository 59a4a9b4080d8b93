"""The live values a saved plan was made from, beside its changes (``show PLAN.json``).

For each experience the plan changes, the values its actions were planned against, as the
plan recorded them (``live`` in the document): a reviewer of a saved plan sees what it
assumed, and can tell later why ``apply --plan`` calls it stale.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pmp_reconcile.plan.document import ExperienceDocument, PlanDocument
from pmp_reconcile.plan.values import ActionKind

TITLE = "Live values the plan was made from"
#: Ids listed per value before the rest is counted.
SHOWN_ITEMS = 20

#: The recorded values each kind of action was planned against (a test holds it complete).
FIELDS_OF: dict[ActionKind, tuple[str, ...]] = {
    ActionKind.CREATE: (),
    ActionKind.RENAME: ("name",),
    ActionKind.DESCRIBE: ("description",),
    ActionKind.ENABLE: ("status",),
    ActionKind.DISABLE: ("status",),
    ActionKind.ARCHIVE: ("status", "archived"),
    ActionKind.REVIVE: ("archived",),
    ActionKind.ADD_PRINCIPALS: ("principals",),
    ActionKind.REMOVE_PRINCIPALS: ("principals",),
    ActionKind.ALLOW_PRODUCTS: ("allowed", "denied", "notes"),
    ActionKind.DENY_PRODUCTS: ("allowed", "denied", "notes"),
    ActionKind.CREATE_POLICY: ("software_requests",),
    ActionKind.SET_REQUESTS: ("software_requests",),
    ActionKind.CREATE_BRANDING: ("branding",),
    ActionKind.UPDATE_BRANDING: ("branding",),
}


def recorded_lines(document: PlanDocument) -> list[str]:
    """One block per changed live experience: its title, then ``field: value`` lines."""
    lines: list[str] = []
    for experience in document["experiences"]:
        recorded = document["live"].get(experience["id"] or "")
        if recorded is None or not experience["actions"]:
            continue
        lines.append(_title(experience))
        lines += [f"  {line}" for line in _value_lines(experience, recorded)]
    return lines


def render_recorded_text(document: PlanDocument) -> str:
    lines = recorded_lines(document)
    if not lines:
        return ""
    return "\n".join(["", f"{TITLE}:", *(f"  {line}" for line in lines)]) + "\n"


def render_recorded_markdown(document: PlanDocument) -> str:
    lines = recorded_lines(document)
    if not lines:
        return ""
    return "\n".join(["", f"#### {TITLE}", "", "```", *lines, "```"]) + "\n"


def _title(experience: ExperienceDocument) -> str:
    named = experience["key"] or experience["name"]
    return f"experience '{named}' {experience['id']}"


#: The order values are shown in: as an experience file lists them.
ORDER: tuple[str, ...] = ("name", "description", "status", "archived", "software_requests")
ORDER += ("principals", "allowed", "denied", "notes", "branding")


def _value_lines(experience: ExperienceDocument, recorded: Mapping[str, Any]) -> Iterator[str]:
    wanted = {f for a in experience["actions"] for f in FIELDS_OF[ActionKind.of(a["kind"])]}
    for field in (f for f in ORDER if f in wanted):
        value = recorded.get(field)
        if field in ("principals", "allowed", "denied"):
            yield f"{field} ({len(value or [])}): {_listed(value or [])}"
        elif field == "notes":
            yield from (f"note on {item}: {note!r}" for item, note in (value or {}).items())
        else:
            yield f"{field}: {_shown(field, value)}"


def _shown(field: str, value: Any) -> str:
    if field == "branding":
        members = ", ".join(f"{k} {v!r}" for k, v in (value or {}).items())
        return members or "(none)"
    if field == "archived":
        return "true" if value else "false"
    if value is None:
        return "(unset)"
    return repr(value) if field in ("name", "description") else str(value)


def _listed(items: Sequence[str]) -> str:
    if not items:
        return "(none)"
    shown = ", ".join(items[:SHOWN_ITEMS])
    more = len(items) - SHOWN_ITEMS
    return shown + (f", and {more} more" if more > 0 else "")
