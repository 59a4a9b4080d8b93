"""What one bootstrap step did: a value the report is rendered from (no AWS client here)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    DONE = "done"
    ALREADY = "already"
    WOULD_DO = "would do"


@dataclass(frozen=True)
class StepReport:
    step: str
    outcome: Outcome
    detail: str
