"""Change-set records and their lifecycle: PREPARING → APPLYING → SUCCEEDED | FAILED, or
CANCELLED from PREPARING.

A change set advances lazily: the state model asks :meth:`ChangeSet.due` how many steps it
should have taken by now (per the progression) and walks it there, applying its changes when
it leaves APPLYING. While open it locks ``locks`` (entity ids).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pmp_reconcile.sandbox.clock import iso, parse_iso
from pmp_reconcile.sandbox.options import Progression, ProgressionMode
from pmp_reconcile.sandbox.validation import Change

PREPARING, APPLYING = "PREPARING", "APPLYING"
SUCCEEDED, FAILED, CANCELLED = "SUCCEEDED", "FAILED", "CANCELLED"
OPEN = (PREPARING, APPLYING)
STATUSES = (PREPARING, APPLYING, SUCCEEDED, FAILED, CANCELLED)
#: Steps from PREPARING to the end.
DONE = 2
CLIENT_FAILURE = (
    "Change set preparation has failed. See the ErrorDetailList of each change for details."
)


@dataclass
class ChangeSet:
    """One change set, open or ended."""

    change_set_id: str
    name: str
    caller: str
    changes: list[Change]
    start: datetime
    locks: list[str] = field(default_factory=list)
    contended: list[str] = field(default_factory=list)
    entity_ids: list[str] = field(default_factory=list)
    status: str = PREPARING
    end: datetime | None = None
    failure_code: str | None = None
    failure_description: str | None = None
    describes: int = 0
    forced: str | None = None
    foreign: bool = False
    token: str | None = None
    fingerprint: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def step(self) -> int:
        return OPEN.index(self.status) if self.is_open else DONE

    def due(self, progression: Progression, now: datetime) -> int:
        """How many steps the progression says this change set has taken by ``now``."""
        if self.foreign:
            return self.step
        if progression.mode is ProgressionMode.IMMEDIATE:
            return DONE
        if progression.mode is ProgressionMode.DESCRIBES:
            return min(DONE, self.describes // progression.describes)
        elapsed = (now - self.start).total_seconds()
        return min(DONE, math.floor(elapsed / progression.seconds + 1e-9))

    def end_time(self, progression: Progression, now: datetime) -> datetime:
        """When the change set ended: on schedule in ``seconds`` mode, else ``now``."""
        if progression.mode is ProgressionMode.SECONDS:
            return min(now, self.start + timedelta(seconds=DONE * progression.seconds))
        return now

    def finish(
        self, status: str, end: datetime, code: str | None = None, why: str | None = None
    ) -> None:
        self.status = status
        self.end = end
        self.failure_code = code
        self.failure_description = why

    def summary(self, arn: str) -> dict[str, Any]:
        """ListChangeSets' ChangeSetSummaryListItem."""
        reply: dict[str, Any] = {
            "ChangeSetId": self.change_set_id,
            "ChangeSetArn": arn,
            "ChangeSetName": self.name,
            "StartTime": iso(self.start),
            "Status": self.status,
            "EntityIdList": list(self.entity_ids),
        }
        if self.end is not None:
            reply["EndTime"] = iso(self.end)
        if self.failure_code is not None:
            reply["FailureCode"] = self.failure_code
        return reply

    def described(self, arn: str) -> dict[str, Any]:
        """DescribeChangeSet's output."""
        reply = {k: v for k, v in self.summary(arn).items() if k != "EntityIdList"}
        reply["Intent"] = "APPLY"
        reply["ChangeSet"] = [change.summary() for change in self.changes]
        if self.failure_description is not None:
            reply["FailureDescription"] = self.failure_description
        return reply

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["changes"] = [c.to_dict() for c in self.changes]
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat() if self.end else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChangeSet:
        values = dict(data)
        values["changes"] = [Change.from_dict(c) for c in data["changes"]]
        values["start"] = parse_iso(str(data["start"]))
        values["end"] = parse_iso(str(data["end"])) if data.get("end") else None
        if values["status"] not in STATUSES:
            raise ValueError(f"unknown change set status {values['status']!r}")
        return cls(**values)
