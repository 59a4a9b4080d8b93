"""ApplyResult: what happened to every planned change set (the ``--report`` document)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

REPORT_FORMAT_VERSION = 1


class Outcome(StrEnum):
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    SKIPPED = "SKIPPED"
    NOT_STARTED = "NOT_STARTED"


class ChangeError(BaseModel):
    """One ErrorDetailList entry, tied back to the planned change and the user's file."""

    model_config = ConfigDict(frozen=True)

    change_type: str
    code: str
    message: str
    experience: str
    file: str | None = None


class ChangeSetResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    experience: str
    wave: int
    name: str
    outcome: Outcome
    change_set_id: str | None = None
    change_set_arn: str | None = None
    failure_code: str | None = None
    failure_description: str | None = None
    errors: tuple[ChangeError, ...] = ()
    started_at: str | None = None
    ended_at: str | None = None
    attempts: int = 0
    note: str | None = None


class ApplyResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    plan_digest: str
    change_sets: tuple[ChangeSetResult, ...] = ()
    interrupted: bool = False
    drift: tuple[str, ...] = ()
    tree_changed: tuple[str, ...] = ()  # a saved plan's tree moved on: a note, not a failure

    @property
    def failed(self) -> tuple[ChangeSetResult, ...]:
        bad = (Outcome.FAILED, Outcome.CANCELLED)
        return tuple(r for r in self.change_sets if r.outcome in bad)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted and not self.drift

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {"format_version": REPORT_FORMAT_VERSION}
        document.update(self.model_dump(mode="json"))
        document["ok"] = self.ok
        return document
