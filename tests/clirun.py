"""Run ``pmp-reconcile`` as a user does: a separate process, its output captured.

One helper for every CLI test, so each runs the same way: this checkout on the path, colour
off, an optional sandbox home, and (unless a test looks itself) no traceback allowed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Set by ``pytest --pure-yaml``: the CLI composes YAML without libyaml too.
PURE_YAML = False
_PURE_MAIN = (
    "import runpy; from pmp_reconcile.desired import yaml_marks; "
    "yaml_marks.FAST_LOADER = None; runpy.run_module('pmp_reconcile', run_name='__main__')"
)


def run_cli(
    *args: str,
    home: Path | None = None,
    cwd: Path | None = None,
    allow_traceback: bool = False,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``python -m pmp_reconcile ARGS``; ``home`` is the persistent sandbox's directory."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    if home is not None:
        env["PMP_SANDBOX_HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, *(["-c", _PURE_MAIN] if PURE_YAML else ["-m", "pmp_reconcile"]), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )
    if not allow_traceback:
        assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def immediate_sandbox(path: Path) -> Path:
    """A persistent sandbox home at ``path`` whose change sets finish at once."""
    from pmp_reconcile.sandbox import PersistentSandbox, Progression, SandboxSettings, StateOptions

    immediate = StateOptions(progression=Progression(mode="immediate"))
    PersistentSandbox(path).save_settings(SandboxSettings(state=immediate))
    return path
