"""Pick a renderer by name; every one works from the plan's JSON document."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pmp_reconcile.plan.render_markdown import render_markdown
from pmp_reconcile.plan.render_text import render_text

OUTPUT_FORMATS = ("text", "markdown", "json")


def render_json(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render(document: Mapping[str, Any], output: str, color: bool = False) -> str:
    if output == "json":
        return render_json(document)
    if output == "markdown":
        return render_markdown(document)
    return render_text(document, color=color)
