"""The progress printer: plain lines for logs, a status line rewritten on a terminal."""

from __future__ import annotations

import io

from pmp_reconcile.apply.result import ChangeSetResult, Outcome
from pmp_reconcile.cli.progress import LinePrinter


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def result(name: str, outcome: Outcome) -> ChangeSetResult:
    return ChangeSetResult(experience="e", wave=2, name=name, outcome=outcome)


def test_logs_get_one_plain_line_per_event() -> None:
    stream = io.StringIO()
    printer = LinePrinter(color=False, stream=stream)
    printer.event(result("a", Outcome.NOT_STARTED), "started a")
    printer.event(result("a", Outcome.SUCCEEDED), "succeeded a")
    printer.close()
    lines = stream.getvalue().splitlines()
    assert [line.split("] ", 1)[1] for line in lines] == ["started a", "succeeded a"]
    assert "\r" not in stream.getvalue()


def test_a_terminal_gets_a_live_status_line() -> None:
    stream = Terminal()
    printer = LinePrinter(color=False, stream=stream)
    printer.event(result("a", Outcome.NOT_STARTED), "started a")
    printer.event(result("b", Outcome.NOT_STARTED), "started b")
    printer.event(result("a", Outcome.FAILED), "failed a")
    assert stream.getvalue().endswith("  … 1 running, 1 failed")
    printer.close()
    assert stream.getvalue().endswith("\r\033[K")
