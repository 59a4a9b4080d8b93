"""Organization impact as the text line a plan ends with, or a markdown section."""

from __future__ import annotations

from collections.abc import Mapping

from pmp_reconcile.model import NodeKind
from pmp_reconcile.org.impact import NodeImpact, OrgImpact


def render_impact_text(impact: OrgImpact) -> str:
    """The summary line the text plan ends with."""
    accounts, ous = impact.count(NodeKind.ACCOUNT), impact.count(NodeKind.OU)
    if not impact.nodes:
        return "Organization impact: no account or OU changes governing experience or products.\n"
    names = ", ".join(impact.by_experience())
    return (
        f"Organization impact: {accounts} account(s) and {ous} OU(s) change governing "
        f"experience or allowed products (experiences: {names}).\n"
    )


def render_impact_markdown(impact: OrgImpact, aliases: Mapping[str, str]) -> str:
    """A section per experience: who joins, leaves, or sees its products change."""
    lines = ["", "### Organization impact", "", render_impact_text(impact).strip()]
    for label, nodes in impact.by_experience().items():
        lines += ["", f"#### `{label}`", "", "| Account / OU | Type | Governed by | Products |"]
        lines.append("| --- | --- | --- | --- |")
        lines += [_row(node, aliases) for node in nodes]
    return "\n".join(lines) + "\n"


def _row(node: NodeImpact, aliases: Mapping[str, str]) -> str:
    governed = f"{node.before or '(public marketplace)'} → {node.after or '(public marketplace)'}"
    if node.before == node.after:
        governed = node.after or "(public marketplace)"
    return f"| `{node.id}` | {node.kind.value} | {governed} | {_products(node, aliases)} |"


def _products(node: NodeImpact, aliases: Mapping[str, str]) -> str:
    if node.opened:
        return "all products allowed"
    if node.restricted:
        return "limited to the experience's products"
    parts = [f"+{aliases.get(p, p)}" for p in node.gained]
    parts += [f"-{aliases.get(p, p)}" for p in node.lost]
    return " ".join(parts) or "unchanged"
