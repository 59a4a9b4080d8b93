"""What ``import`` wrote: the files, the settings kept or written, and notes for the reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pmp_reconcile.model import Experience


@dataclass(frozen=True)
class Written:
    """One experience file written, with the live experience it describes."""

    path: Path
    experience: Experience
    replaced: bool = False


@dataclass(frozen=True)
class ImportResult:
    """What was written, what was kept, and what the next plan will say anyway."""

    out: Path
    experiences: tuple[Written, ...] = ()
    settings_written: Path | None = None
    settings_kept: Path | None = None
    schema_written: Path | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
