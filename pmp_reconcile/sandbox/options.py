"""The knobs of one marketplace: who owns it, how change sets progress, where AWS is silent.

Plain dataclasses so ``settings`` can round-trip them through JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class ProgressionMode(StrEnum):
    """How a change set walks its states (see :class:`Progression`)."""

    IMMEDIATE = "immediate"
    DESCRIBES = "describes"
    SECONDS = "seconds"


AudienceMode = Literal["per_change", "per_experience"]


@dataclass
class Progression:
    """How a change set walks PREPARING → APPLYING → terminal.

    ``immediate``: it ends inside StartChangeSet. ``describes``: each state is reported by
    ``describes`` DescribeChangeSet calls on it before the next. ``seconds``: each state
    lasts ``seconds`` on the marketplace's clock.
    """

    mode: ProgressionMode = ProgressionMode.IMMEDIATE
    describes: int = 2
    seconds: float = 1.0

    def __post_init__(self) -> None:
        # Settings files and the command line give the mode as text.
        if self.mode not in ProgressionMode.__members__.values():
            raise ValueError(f"unknown progression mode {self.mode!r}")
        self.mode = ProgressionMode(self.mode)
        if self.describes < 1 or self.seconds <= 0:
            raise ValueError("progression needs describes >= 1 and seconds > 0")


@dataclass
class StateOptions:
    """Options of the state model; each silent spot of AWS's docs has one (see ``state``).

    ``delegated_admins``: accounts that may act on the owner's marketplace through
    ``Scope=SharedWithMe``; None lets any account other than the owner do so.
    ``organization_id``: when set, an ``o-…`` principal other than it is outside the
    organization (CALLER_NOT_AUTHORIZED).
    """

    progression: Progression = field(default_factory=Progression)
    owner_account_id: str = "111122223333"
    region: str = "us-east-1"
    open_change_set_quota: int = 250
    atomic: bool = True
    allow_move_in_one_change_set: bool = False
    audiences: AudienceMode = "per_change"
    delegated_admins: list[str] | None = None
    organization_id: str | None = None
    change_name_pattern: str = r"^[a-zA-Z]+$"
