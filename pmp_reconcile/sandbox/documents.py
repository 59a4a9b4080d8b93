"""The state document: a whole marketplace as JSON (``sandbox serve --state``, the home of
``--sandbox``), written and read apart from the marketplace's behaviour.

Everything but the options and the clock is kept, so a reloaded marketplace answers as the
saved one did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pmp_reconcile.sandbox.changesets import ChangeSet
from pmp_reconcile.sandbox.entities import Entity

DOCUMENT_FORMAT = "pmp-sandbox-state/1"


@dataclass
class StateParts:
    """What a state document holds."""

    entities: list[Entity] = field(default_factory=list)
    change_sets: list[ChangeSet] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)
    tags: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def is_state_document(document: dict[str, Any]) -> bool:
    """A seed may be a state document (it has a format) or a list of experiences."""
    return "format" in document


def write_state(parts: StateParts) -> dict[str, Any]:
    """The parts as a JSON-safe document (:func:`read_state` reads it back)."""
    return {
        "format": DOCUMENT_FORMAT,
        "entities": [e.to_dict() for e in parts.entities],
        "change_sets": [c.to_dict() for c in parts.change_sets],
        "tokens": dict(parts.tokens),
        "tags": {arn: list(tags) for arn, tags in parts.tags.items()},
        "failures": list(parts.failures),
    }


def read_state(document: dict[str, Any]) -> StateParts:
    """The parts of a state document; ValueError naming what is wrong otherwise."""
    if document.get("format") != DOCUMENT_FORMAT:
        raise ValueError(f"not a sandbox state document (format {DOCUMENT_FORMAT})")
    try:
        entities = [Entity.from_dict(e) for e in document.get("entities", [])]
        change_sets = [ChangeSet.from_dict(c) for c in document.get("change_sets", [])]
    except (KeyError, TypeError) as problem:
        raise ValueError(f"malformed sandbox state document: {problem!r}") from None
    return StateParts(
        entities=entities,
        change_sets=change_sets,
        tokens=dict(document.get("tokens", {})),
        tags=dict(document.get("tags", {})),
        failures=list(document.get("failures", [])),
    )
