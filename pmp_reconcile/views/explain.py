"""``explain`` as text: the walk up the organization, one level a line, then the verdicts.

JSON is :meth:`Explanation.to_document`, written as it is; mermaid draws the walk top-down,
from the level whose experience governs (or the organization) to the account or OU.
"""

from __future__ import annotations

import json

from pmp_reconcile.model import NodeKind
from pmp_reconcile.org.governance import Explanation, Step, experience_label
from pmp_reconcile.views.formats import EXPLAIN_FORMATS, OutputFormat
from pmp_reconcile.views.mermaid import Flowchart

FORMATS = EXPLAIN_FORMATS


def render_explanation(explanation: Explanation, output: OutputFormat) -> str:
    if output is OutputFormat.JSON:
        return json.dumps(explanation.to_document(), indent=2, ensure_ascii=False) + "\n"
    if output is OutputFormat.MERMAID:
        return explanation_chart(explanation)
    return render_explanation_text(explanation)


def explanation_chart(explanation: Explanation) -> str:
    """The walked levels, the highest first; the governing level and the node stand out."""
    chart = Flowchart()
    governing = explanation.governance.governing
    steps = list(reversed(explanation.governance.steps))
    for above, step in zip([None, *steps], steps, strict=False):
        style = "inherits"
        if step.experience is not None and step.experience is governing:
            style = "associated"
        elif step.skipped:
            style = "context"
        if step.id == explanation.node_id and governing is None:
            style = "ungoverned"
        found = _found(step).replace(" <- ", ": ")
        chart.node(step.id, [f"{step.kind.value} {step.id}", found], style)
        if above is not None:
            chart.edge(above.id, step.id)
    return chart.text()


def render_explanation_text(explanation: Explanation) -> str:
    """The walk, one level a line, then the verdicts."""
    lines = [f"{explanation.governance.steps[0].kind.value} {explanation.node_id}", "path walked:"]
    for step in explanation.governance.steps:
        lines.append(f"  {step.kind.value:<12} {step.id:<24} {_found(step)}")
    governing = explanation.governance.governing
    if governing is None:
        lines.append("governing experience: none (the whole public marketplace is open)")
    else:
        label = experience_label(governing)
        named = ", ".join(x for x in (governing.name, governing.id) if x)
        lines.append(f"governing experience: {label} ({named})")
    if explanation.product is not None:
        verdict = explanation.product
        word = "allowed" if verdict.allowed else "not allowed"
        named = f" ({verdict.name})" if verdict.name else ""
        lines.append(f"product {verdict.product}{named}: {word} ({verdict.reason})")
    return "\n".join(lines) + "\n"


def _found(step: Step) -> str:
    if step.kind is NodeKind.ROOT:
        return "- (a root cannot be associated)"
    if step.experience is None:
        return "-"
    label = experience_label(step.experience)
    if step.skipped:
        state = "archived" if step.experience.archived else "disabled"
        return f"{label} ({state}: skipped)"
    return f"{label} <- governs"
