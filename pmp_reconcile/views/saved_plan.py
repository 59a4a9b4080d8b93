"""A saved plan shown again (``pmp-reconcile show``), like ``terraform show``.

One function over the saved document, so what a saved plan carries beyond the plan itself is
rendered in one place, beside the plan views it reuses.
"""

from __future__ import annotations

from pmp_reconcile.plan.document import PlanDocument
from pmp_reconcile.views.formats import OutputFormat
from pmp_reconcile.views.plan import render
from pmp_reconcile.views.recorded import render_recorded_markdown, render_recorded_text


def render_saved_plan(document: PlanDocument, output: OutputFormat, color: bool = False) -> str:
    """The saved plan as ``plan`` showed it (the same text, markdown or JSON document), then
    the live values its changes were planned against (in JSON, its ``live`` member)."""
    shown = render(document, output, color=color)
    if output is OutputFormat.TEXT:
        return shown + render_recorded_text(document)
    if output is OutputFormat.MARKDOWN:
        return shown + render_recorded_markdown(document)
    return shown
