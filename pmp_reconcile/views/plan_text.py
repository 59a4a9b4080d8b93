"""Terminal rendering of a plan document: terraform-like ``+ - ~`` lines.

Works from the JSON document (not the Plan object) so a saved plan renders the same.
High-impact lines carry a ``!`` marker and, with colour on, stand out in bold red.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

from pmp_reconcile.plan.codes import Severity
from pmp_reconcile.plan.document import (
    ActionDocument,
    ChangeSetDocument,
    ExperienceDocument,
    FieldChangeDocument,
    PlanDocument,
    ProductDocument,
    SummaryDocument,
)
from pmp_reconcile.plan.values import ActionKind, ExperienceStatus
from pmp_reconcile.views.plan_origin import origin_lines
from pmp_reconcile.views.plan_sets import NO_SETS, set_lines, via_text

#: Every experience status has its sign (a test holds the table complete).
STATUS_SIGNS: dict[ExperienceStatus, str] = {
    ExperienceStatus.CREATE: "+",
    ExperienceStatus.UPDATE: "~",
    ExperienceStatus.UNMANAGED: "?",
    ExperienceStatus.UNCHANGED: " ",
}
_COLORS = {"+": "32", "-": "31", "~": "33", "?": "36", "!": "1;31", "dim": "2"}


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def paint(self, text: str, style: str) -> str:
        if not self.color or style not in _COLORS:
            return text
        return f"\033[{_COLORS[style]}m{text}\033[0m"


def summary_line(summary: SummaryDocument) -> str:
    """One sentence with the counts that matter (shared by text and markdown)."""
    if not summary["has_changes"]:
        return _no_changes(summary["unmanaged_governing"])
    return (
        f"Plan: {summary['create']} to create, {summary['update']} to update, "
        f"{summary['archive']} to archive; {summary['products_allowed']} product(s) allowed, "
        f"{summary['products_denied']} denied; {summary['principals_added']} principal(s) "
        f"added, {summary['principals_removed']} removed; {summary['change_sets']} change "
        f"set(s) in {summary['waves']} wave(s)."
    )


def _no_changes(governing: int) -> str:
    if not governing:
        return "No changes. The private marketplace matches the desired state."
    many = governing > 1
    return (
        f"No changes to send, but the marketplace has drifted: {governing} unmanaged "
        f"experience{'s' if many else ''} govern{'' if many else 's'} accounts. "
        f"Import {'each' if many else 'it'} (import --only NAME) to manage it from the tree, or "
        "set unmanaged_experiences: archive (or ignore, to leave it out of drift)."
    )


def label_item(item: str, aliases: Mapping[str, str], via: Mapping[str, str] = NO_SETS) -> str:
    """``prod-… (alias)``, or ``prod-… (alias, via baseline)`` for a product a set brought."""
    said = [text for text in (aliases.get(item), via_text(via.get(item))) if text]
    return f"{item} ({', '.join(said)})" if said else item


@dataclass(frozen=True)
class ItemNames:
    """How a plan names an item: a product id with its alias and what Discovery calls it."""

    aliases: Mapping[str, str]
    products: Mapping[str, ProductDocument]
    sets: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    via: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, document: PlanDocument) -> ItemNames:
        return cls(document["aliases"], document.get("products", {}), document.get("via", {}))

    def within(self, experience: ExperienceDocument) -> ItemNames:
        """The names as one experience shows them (with the sets that brought its products)."""
        return replace(self, via=self.sets.get(experience["key"] or "", {}))

    def label(self, item: str) -> str:
        """The id as written in the tree: ``prod-… (alias)``."""
        return label_item(item, self.aliases, self.via)

    def name(self, item: str) -> str:
        """``Datadog Pro (Datadog)``, or empty when Discovery said nothing of ``item``."""
        product = self.products.get(item)
        if product is None:
            return ""
        closed = "" if product["available"] else "; closed to new subscriptions"
        return f"{product['name']} ({product['publisher']}{closed})"

    def full(self, item: str) -> str:
        name = self.name(item)
        return f"{self.label(item)}  {name}" if name else self.label(item)


def render_text(document: PlanDocument, color: bool = False) -> str:
    style = _Style(color)
    names = ItemNames.of(document)
    body: list[str] = []
    for experience in document["experiences"]:
        body += _experience_lines(experience, names.within(experience), style)
    body += _wave_lines(document, style)
    lines = [*origin_lines(document), *_warning_lines(document, style)]
    if lines and lines[-1] and body:  # the opening lines end with their own blank line
        lines.append("")
    if lines and not lines[-1] and not body:  # nothing to change: the summary follows at once
        lines.pop()
    lines += body
    if body and body[-1]:  # one blank line between the change sets and the summary; with
        lines.append("")  # nothing to change, the summary follows the warnings directly
    lines.append(summary_line(document["summary"]))
    lines += set_lines(document)
    return "\n".join(lines) + "\n"


def _warning_lines(document: PlanDocument, style: _Style) -> Iterator[str]:
    for warning in document["warnings"]:
        severity = Severity(warning["severity"])
        marker = "!" if severity is not Severity.INFO else "i"
        where = f"{warning['location']}: " if "location" in warning else ""
        text = f"{marker} {_label(severity)} {warning['code']}: {where}{warning['message']}"
        yield style.paint(text, "!" if severity is Severity.ERROR else "?")


def _label(severity: Severity) -> str:
    """An error-level finding of a plan is a guardrail that apply enforces; the plan itself
    succeeded, so it is not labelled as an error."""
    return "guardrail" if severity is Severity.ERROR else severity.value


def _experience_lines(experience: ExperienceDocument, names: ItemNames, style: _Style) -> list[str]:
    status = ExperienceStatus(experience["status"])
    if status is ExperienceStatus.UNCHANGED or not experience["actions"]:
        return []
    sign = STATUS_SIGNS[status]
    title = experience["key"] or experience["id"]
    where = experience["file"] or experience["id"] or ""
    header = f"{sign} experience {title!r} ({experience['name']})  {where}".rstrip()
    lines = [style.paint(header, sign)]
    for action in experience["actions"]:
        lines += _action_lines(action, names, style)
    lines.append("")
    return lines


def _action_lines(action: ActionDocument, names: ItemNames, style: _Style) -> list[str]:
    kind = ActionKind.of(action["kind"])
    sign, label = kind.sign.value, kind.label
    marker = "!" if action["high_impact"] else " "
    change = _before_after(action)
    count = f" {len(action['items'])}" if action["items"] and not kind.inline else ""
    text = f"  {marker} {sign} {label}{count}{change}: {action['reason']}"
    lines = [style.paint(text, "!" if action["high_impact"] else sign)]
    lines += [style.paint(f"        {sign} {line}", sign) for line in item_lines(action, names)]
    return lines


def item_lines(action: ActionDocument, names: ItemNames) -> list[str]:
    """What an action changes, one line each: a branding field before → after, or an item
    (a product with its name and the note sent with it)."""
    if "fields" in action:
        return [f"{f['field']}{_before_after(f)}" for f in action["fields"]]
    notes = action.get("notes", {})
    return [
        names.full(item) + (f"  note: {notes[item]}" if item in notes else "")
        for item in action["items"]
    ]


def _before_after(change: ActionDocument | FieldChangeDocument) -> str:
    before, after = change["before"], change["after"]
    if before is None and after is None:
        return ""
    if before is None:
        return f" = {after!r}"
    return f" {before!r} → {after!r}"


def _wave_lines(document: PlanDocument, style: _Style) -> Iterator[str]:
    if not document["waves"]:
        return
    yield "Change sets:"
    for wave in document["waves"]:
        yield f"  wave {wave['index']}: {wave['purpose']}"
        for chain in wave["chains"]:
            for change_set in chain["change_sets"]:
                yield style.paint(f"    {change_set['name']}: {change_types(change_set)}", "dim")


def change_types(change_set: ChangeSetDocument) -> str:
    """The change types a change set sends, in its order (shared by text and markdown)."""
    return ", ".join(c["ChangeType"] for c in change_set["changes"])
