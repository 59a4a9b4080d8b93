"""The plan in every format; each works from the plan's JSON document (a saved plan too)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pmp_reconcile.plan.document import PlanDocument
from pmp_reconcile.views.formats import PLAN_FORMATS, OutputFormat
from pmp_reconcile.views.plan_markdown import render_markdown
from pmp_reconcile.views.plan_text import render_text

if TYPE_CHECKING:  # the organization's modules are imported only for --org-impact
    from pmp_reconcile.org.impact import OrgImpact

FORMATS = PLAN_FORMATS


#: Where the recorded live values go in the indented skeleton of a plan's JSON text.
_LIVE_SLOT = '\n  "live": {}'


def render_json(document: Mapping[str, Any]) -> str:
    """The plan document as JSON (what ``--output json`` prints and ``--out`` saves): indented,
    but for each recorded live experience, which is one line of its own. Those records are
    most of a large plan (thousands of ids each), and the indenting encoder, pure Python, takes
    about twice as long as the compact one."""
    live = document.get("live")
    if not live:
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    skeleton = json.dumps({**document, "live": {}}, indent=2, ensure_ascii=False)
    records = ",\n".join(
        f"    {json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in live.items()
    )
    return skeleton.replace(_LIVE_SLOT, f'\n  "live": {{\n{records}\n  }}', 1) + "\n"


def render(document: PlanDocument, output: OutputFormat, color: bool = False) -> str:
    if output is OutputFormat.JSON:
        return render_json(document)
    if output is OutputFormat.MARKDOWN:
        return render_markdown(document)
    return render_text(document, color=color)


def render_with_impact(
    document: PlanDocument, impact: OrgImpact, output: OutputFormat, color: bool = False
) -> str:
    """The plan with the organization impact as an extra member (JSON) or section."""
    from pmp_reconcile.views.impact import (
        impact_document,
        render_impact_markdown,
        render_impact_text,
    )

    if output is OutputFormat.JSON:
        return render_json({**document, "org_impact": impact_document(impact)})
    if output is OutputFormat.MARKDOWN:
        return render_markdown(document) + render_impact_markdown(impact, document["aliases"])
    return render_text(document, color=color) + render_impact_text(impact, document["aliases"])
