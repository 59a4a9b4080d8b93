"""The output formats, named once; each command offers the ones its view can write."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class OutputFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    GITHUB = "github"
    MERMAID = "mermaid"


def names(formats: Iterable[OutputFormat]) -> list[str]:
    """The formats as the command line spells them (for a choice option)."""
    return [f.value for f in formats]
