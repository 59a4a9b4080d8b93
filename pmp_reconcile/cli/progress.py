"""Apply progress on stderr: one line per event, so CI logs and terminals read the same."""

from __future__ import annotations

import threading
import time

import click

from pmp_reconcile.apply.result import ChangeSetResult, Outcome

_COLORS = {Outcome.FAILED: "red", Outcome.CANCELLED: "red", Outcome.SUCCEEDED: "green"}


class LinePrinter:
    """Prints each executor event with the seconds since apply began (threads share a lock)."""

    def __init__(self, color: bool) -> None:
        self._color = color
        self._lock = threading.Lock()
        self._start = time.monotonic()

    def event(self, result: ChangeSetResult | None, message: str) -> None:
        line = f"[{time.monotonic() - self._start:6.1f}s] {message}"
        colour = _COLORS.get(result.outcome) if result is not None else None
        if self._color and colour:
            line = click.style(line, fg=colour)
        with self._lock:
            click.echo(line, err=True)
