"""Which drifted experiences were changed outside git since this tool last applied them.

The baseline is the Catalog API's own history: every change set this tool starts is named
``pmp-reconcile …`` (and tagged with the plan digest, and in CI the commit and run). For each
experience the plan changes, the change sets that succeeded on it are listed newest first; those
that ended after the newest one of this tool were made by someone else (console, another tool).
Limits: the API keeps 60 days of change sets, and one page (20) is read per experience; a change
made without a change set would not show; a name is what tells ours apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.catalog.changes import CHANGE_SET_NAME_PREFIX
from pmp_reconcile.plan.values import ExperienceStatus, Plan


@dataclass(frozen=True)
class OutsideChange:
    """A change set someone else ran on an experience after this tool last applied it."""

    id: str
    name: str
    ended: str


@dataclass(frozen=True)
class ChangedOutside:
    """One experience of the plan and the change sets made on it outside git."""

    key: str
    file: str | None
    id: str
    change_sets: tuple[OutsideChange, ...]
    #: False when none of the change sets read was this tool's (older, or never applied).
    since_last_apply: bool

    def to_document(self) -> dict[str, Any]:
        return {
            "experience": self.key,
            "file": self.file,
            "id": self.id,
            "since_last_apply": self.since_last_apply,
            "change_sets": [vars(c) for c in self.change_sets],
        }


def changed_outside(plan: Plan, api: CatalogApi) -> tuple[ChangedOutside, ...]:
    """The experiences ``plan`` updates whose latest change sets were not this tool's."""
    found = []
    for experience in plan.experiences:
        key, entity_id = experience.key, experience.id
        if experience.status is ExperienceStatus.UPDATE and key and entity_id:
            others, ours = since_ours(api.succeeded_on(entity_id))
            if others:
                found.append(ChangedOutside(key, experience.file, entity_id, others, ours))
    return tuple(found)


def since_ours(newest_first: list[dict[str, Any]]) -> tuple[tuple[OutsideChange, ...], bool]:
    """The change sets before (newer than) this tool's latest, and whether one was found."""
    others: list[OutsideChange] = []
    for summary in newest_first:
        if str(summary.get("ChangeSetName", "")).startswith(CHANGE_SET_NAME_PREFIX):
            return tuple(others), True
        others.append(_outside(summary))
    return tuple(others), False


def _outside(summary: dict[str, Any]) -> OutsideChange:
    return OutsideChange(
        id=str(summary.get("ChangeSetId", "")),
        name=str(summary.get("ChangeSetName", "")),
        ended=str(summary.get("EndTime", "")),
    )


def changed_outside_document(plan: Plan, api: CatalogApi) -> list[dict[str, Any]]:
    """What ``plan --changed-outside`` adds: one entry per experience changed outside git."""
    return [c.to_document() for c in changed_outside(plan, api)]
