"""The CLI frame: exit codes and error reporting shared by every command."""

from __future__ import annotations

import subprocess
import sys


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pmp_reconcile", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_help_exits_zero() -> None:
    done = run_cli("--help")
    assert done.returncode == 0
    assert "Manage AWS Private Marketplace as code" in done.stdout


def test_unknown_option_is_a_usage_error_with_exit_1_not_2() -> None:
    done = run_cli("--bogus")
    assert done.returncode == 1
    assert "No such option" in done.stderr
    assert "Traceback" not in done.stderr
