"""Show why a saved plan is stale: what moved, per experience key and file.

Renders the staleness document (``{"stale": …, "experiences": [...]}``) as text, for the
error message, or as JSON (``apply --plan FILE --output json``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pmp_reconcile.apply.stale import MoveKind
from pmp_reconcile.views.formats import OutputFormat

HEADLINE = "the saved plan is stale: the live marketplace moved since it was made"
#: Ids listed per move before the rest is counted.
SHOWN_ITEMS = 20


def render_stale(document: Mapping[str, Any], output: OutputFormat) -> str:
    if output is OutputFormat.JSON:
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return stale_text(document)


def stale_text(document: Mapping[str, Any]) -> str:
    return "\n".join([HEADLINE, *stale_lines(document)]) + "\n"


def stale_lines(document: Mapping[str, Any]) -> list[str]:
    """What moved, one experience after another, its moves indented under it."""
    lines = []
    for experience in document["experiences"]:
        lines.append(f"  {_title(experience)}")
        lines += [f"    {line}" for move in experience["moves"] for line in _move_lines(move)]
    return lines


def _title(experience: Mapping[str, Any]) -> str:
    key, file = experience["key"], experience["file"]
    named = f"experience '{key}'" if key else "experience without a file"
    if key and file:
        named += f" ({file})"
    return f"{named}: '{experience['name']}' {experience['id']}"


def _move_lines(move: Mapping[str, Any]) -> Iterator[str]:
    kind = MoveKind(move["kind"])
    if kind is MoveKind.FIELD:
        yield f"{move['field']}: {_shown(move['before'])} → {_shown(move['after'])}"
    elif kind is MoveKind.REVISION:
        yield f"{move['field']}: {kind.label} ({move['before']} → {move['after']})"
    elif kind is MoveKind.CHANGE_SET:
        change_set = move["change_set"]
        yield (
            f"change set '{change_set['name']}' ({change_set['id']}) by another tool is "
            f"{change_set['status']} on it"
        )
    elif kind is MoveKind.CHANGED_BY:
        change_set = move["change_set"]
        yield (
            f"change set '{change_set['name']}' ({change_set['id']}) by someone else ended "
            f"{change_set['ended']} (since this tool last applied it)"
        )
    elif move.get("items"):
        yield f"{kind.label} ({len(move['items'])}): {_listed(move['items'])}"
    else:
        yield kind.label


def _shown(value: Any) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:SHOWN_ITEMS])
    more = len(items) - SHOWN_ITEMS
    return f"{shown}, and {more} more" if more > 0 else shown
