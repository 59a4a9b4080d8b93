"""Apply progress on stderr: a line per event, and on a terminal a live status line below.

CI logs get plain lines (one per change set started or ended); a person at a terminal also
sees how many change sets are running, done and failed, rewritten in place.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

import click

from pmp_reconcile.apply.result import ChangeSetResult, Outcome

_COLORS = {Outcome.FAILED: "red", Outcome.CANCELLED: "red", Outcome.SUCCEEDED: "green"}
_ENDED = (Outcome.SUCCEEDED, Outcome.FAILED, Outcome.CANCELLED, Outcome.SKIPPED)
_CLEAR_LINE = "\r\033[K"


class LinePrinter:
    """Prints executor events with the seconds since apply began (threads share a lock)."""

    def __init__(self, color: bool, stream: TextIO | None = None) -> None:
        self._color = color
        self._stream = stream or sys.stderr
        self._live = self._stream.isatty()
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._running: set[str] = set()
        self._ended: dict[Outcome, int] = {}

    def event(self, result: ChangeSetResult | None, message: str) -> None:
        line = f"[{time.monotonic() - self._start:6.1f}s] {message}"
        colour = _COLORS.get(result.outcome) if result is not None else None
        if self._color and colour:
            line = click.style(line, fg=colour)
        with self._lock:
            self._count(result)
            prefix = _CLEAR_LINE if self._live else ""
            click.echo(prefix + line, file=self._stream)
            if self._live:
                click.echo(self._status(), file=self._stream, nl=False)

    def _count(self, result: ChangeSetResult | None) -> None:
        if result is None:
            return
        if result.outcome in _ENDED:
            self._running.discard(result.name)
            self._ended[result.outcome] = self._ended.get(result.outcome, 0) + 1
        else:
            self._running.add(result.name)

    def _status(self) -> str:
        parts = [f"{len(self._running)} running"]
        parts += [f"{n} {o.value.lower()}" for o, n in sorted(self._ended.items())]
        return f"  … {', '.join(parts)}"

    def close(self) -> None:
        """End the status line so what follows starts on a clean line."""
        if self._live:
            with self._lock:
                click.echo(_CLEAR_LINE, file=self._stream, nl=False)
