"""Time for the sandbox: a protocol, the system clock and a fake one tests move by hand.

Lifecycles, token buckets and timestamps all read one injected clock, so a test can walk a
change set through its states without sleeping.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol

#: Where a :class:`FakeClock` starts unless told otherwise.
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


class Clock(Protocol):
    """Anything that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that stands still until :meth:`advance` moves it. Thread-safe."""

    def __init__(self, start: datetime = EPOCH) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (negative values are refused)."""
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        with self._lock:
            self._now += timedelta(seconds=seconds)


def iso(moment: datetime) -> str:
    """The API's ``DateTimeISO8601`` form: ``YYYY-MM-DDTHH:MM:SSZ`` (20 characters)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    """Read ``YYYY-MM-DDTHH:MM:SSZ`` (or any ISO 8601 form with an offset) as aware UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
