"""The output formats, named once; each command offers the ones its view can write."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class OutputFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    GITHUB = "github"
    YAML = "yaml"
    MERMAID = "mermaid"


#: The formats each view writes, named here rather than in the views (which re-export them as
#: ``FORMATS``) so the command line lists them without loading the views and the plan.
PLAN_FORMATS = (OutputFormat.TEXT, OutputFormat.MARKDOWN, OutputFormat.JSON)
#: ``json``: the result document, or what moved when a saved plan is stale.
APPLY_FORMATS = (OutputFormat.TEXT, OutputFormat.MARKDOWN, OutputFormat.JSON)
EXPLAIN_FORMATS = (OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MERMAID)
#: ``markdown``: the pull-request comment that replaces the plan's when the tree is invalid.
FINDINGS_FORMATS = (
    OutputFormat.TEXT,
    OutputFormat.JSON,
    OutputFormat.GITHUB,
    OutputFormat.MARKDOWN,
)
#: ``yaml``: products.yaml lines to paste.
SEARCH_FORMATS = (OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.YAML)
SHOW_FORMATS = (OutputFormat.TEXT, OutputFormat.JSON)
MAP_FORMATS = (OutputFormat.TEXT, OutputFormat.MERMAID, OutputFormat.JSON)


def names(formats: Iterable[OutputFormat]) -> list[str]:
    """The formats as the command line spells them (for a choice option)."""
    return [f.value for f in formats]
