"""The installed command leaves without taking the interpreter apart, and loses nothing:
every line it printed arrives, and the exit status is the command's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pmp_reconcile.cli import _exit_status

from clirun import run_cli


def test_a_long_output_arrives_whole_through_a_pipe() -> None:
    done = run_cli("schema", "--file", "experience")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) > 4096  # more than one write of the stream's buffer
    assert json.loads(done.stdout)["title"] == "pmp-reconcile experience"


def test_an_error_keeps_its_message_and_its_status(tmp_path: Path) -> None:
    done = run_cli("validate", str(tmp_path / "missing"))
    assert done.returncode == 1
    assert "is not a directory" in done.stderr


@pytest.mark.parametrize(
    ("code", "status", "printed"),
    [(None, 0, ""), (0, 0, ""), (2, 2, ""), ("stopped", 1, "stopped\n")],
)
def test_the_status_is_what_sys_exit_would_give(
    code: object, status: int, printed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _exit_status(code) == status
    assert capsys.readouterr().err == printed
