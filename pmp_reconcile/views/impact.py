"""Organization impact for reviewers, as text or markdown: one row per group of accounts.

Groups come from :func:`group_impact`: the accounts and OUs that see the same change share a
row with their counts, and the ids are listed below it (folded in markdown, so 300 accounts
are one row and one click). Groups that fall back to no experience lead, marked high impact.
The markdown ends with the diagram of the affected part of the organization.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pmp_reconcile.org.impact import OrgImpact
from pmp_reconcile.org.impact_groups import ChangeKind, ImpactGroup, group_impact
from pmp_reconcile.views.impact_diagram import impact_chart
from pmp_reconcile.views.mermaid import fenced

NONE = "none"
TEXT_IDS = 10
PRODUCTS_SHOWN = 5
HIGH_IMPACT = "fall back to no experience: the whole public marketplace opens to them"
LEGEND = (
    "Nodes show the governing experience before → after; amber: falls back to no experience, "
    "red: loses products, green: gains, purple: both, blue: newly governed; dashed: unchanged."
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _who(group: ImpactGroup) -> str:
    parts = [_plural(len(group.accounts), "account")] if group.accounts else []
    parts += [_plural(len(group.ous), "OU")] if group.ous else []
    return ", ".join(parts)


def _moves(group: ImpactGroup) -> str:
    if group.before == group.after:
        return f"{group.after} (same experience)"
    return f"{group.before or NONE} → {group.after or NONE}"


def _summary(groups: Sequence[ImpactGroup]) -> str:
    if not groups:
        return "no account or OU changes governing experience or products."
    accounts = sum(len(g.accounts) for g in groups)
    ous = sum(len(g.ous) for g in groups)
    return (
        f"{_plural(accounts, 'account')} and {_plural(ous, 'OU')} change governing experience "
        f"or allowed products, in {_plural(len(groups), 'group')}."
    )


def _products(names: Sequence[str], aliases: Mapping[str, str]) -> str:
    shown = [aliases.get(p, p) for p in names[:PRODUCTS_SHOWN]]
    rest = len(names) - len(shown)
    return ", ".join(shown) + (f" and {rest} more" if rest else "")


def _gained(group: ImpactGroup, aliases: Mapping[str, str]) -> str:
    return "all products" if group.opened else _products(group.gained, aliases) or "—"


def _lost(group: ImpactGroup, aliases: Mapping[str, str]) -> str:
    if group.restricted:
        return "all but its experience's products"
    return _products(group.lost, aliases) or "—"


def impact_document(impact: OrgImpact) -> dict[str, Any]:
    """The ``org_impact`` member of the JSON plan: per node, and per group of nodes."""
    groups = group_impact(impact)
    high = [g for g in groups if g.high_impact]
    return {
        **impact.to_document(),
        "groups": [group.to_document() for group in groups],
        "high_impact_accounts": sorted(a for g in high for a in g.accounts),
    }


def render_impact_text(impact: OrgImpact, aliases: Mapping[str, str]) -> str:
    """A summary line, then a block per group: change, counts, products, ids (folded)."""
    groups = group_impact(impact)
    lines = [f"Organization impact: {_summary(groups)}"]
    for group in groups:
        mark = "HIGH IMPACT: " if group.high_impact else ""
        lines.append(f"  {mark}{_moves(group)}, {group.kind.label}: {_who(group)}")
        lines.append(f"    gained: {_gained(group, aliases)}; lost: {_lost(group, aliases)}")
        lines.append(f"    {_ids_text(group)}")
    return "\n".join(lines) + "\n"


def _ids_text(group: ImpactGroup) -> str:
    """The OUs and accounts the group's counts count, each list named (at most
    ``TEXT_IDS`` ids in all, then how many more)."""
    ous = list(group.ous[:TEXT_IDS])
    accounts = list(group.accounts[: TEXT_IDS - len(ous)])
    named = [(label, ids) for label, ids in (("OUs", ous), ("accounts", accounts)) if ids]
    shown = "; ".join(f"{label}: {', '.join(ids)}" for label, ids in named)
    left = len(group.ous) + len(group.accounts) - len(ous) - len(accounts)
    return shown + (f" and {left} more" if left else "")


def render_impact_markdown(impact: OrgImpact, aliases: Mapping[str, str]) -> str:
    """The section a PR comment shows: warning, table, folded lists, diagram."""
    groups = group_impact(impact)
    lines = ["", "### Organization impact", "", _summary(groups)]
    lines += _warning(groups)
    if groups:
        lines += ["", "| Change | Governed by | Accounts | OUs | Gained | Lost |"]
        lines.append("| --- | --- | ---: | ---: | --- | --- |")
        lines += [_row(group, aliases) for group in groups]
        lines += [line for group in groups for line in _folded(group)]
    chart = impact_chart(impact, aliases)
    if chart is not None:
        lines += ["", "#### Where in the organization", "", fenced(chart).rstrip(), "", LEGEND]
    return "\n".join(lines) + "\n"


def _warning(groups: Sequence[ImpactGroup]) -> list[str]:
    high = [g for g in groups if g.high_impact]
    if not high:
        return []
    accounts = sum(len(g.accounts) for g in high)
    ous = sum(len(g.ous) for g in high)
    moves = ", ".join(_moves(g) for g in high)
    who = f"{_plural(accounts, 'account')} and {_plural(ous, 'OU')}"
    return ["", "> [!CAUTION]", f"> **High impact:** {who} {HIGH_IMPACT} ({moves})."]


def _row(group: ImpactGroup, aliases: Mapping[str, str]) -> str:
    change = group.kind.label
    if group.kind is ChangeKind.UNGOVERNED:
        change = f"**high impact**: {change}"
    before, after = (f"`{x}`" if x else NONE for x in (group.before, group.after))
    governed = f"{after} (same)" if group.before == group.after else f"{before} → {after}"
    return (
        f"| {change} | {governed} | {len(group.accounts)} | {len(group.ous)} "
        f"| {_gained(group, aliases)} | {_lost(group, aliases)} |"
    )


def _folded(group: ImpactGroup) -> list[str]:
    ids = ", ".join(f"`{i}`" for i in (*group.ous, *group.accounts))
    summary = f"{_moves(group)}: {_who(group)}"
    return ["", f"<details><summary>{summary}</summary>", "", ids, "", "</details>"]
