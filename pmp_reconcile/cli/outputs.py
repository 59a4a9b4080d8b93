"""Files a command writes when it is done (a saved plan, an apply report).

They are checked before the command reads or sends anything: an apply that changed the
marketplace must not end in a lost report because its directory was mistyped.
"""

from __future__ import annotations

import os
from pathlib import Path

from pmp_reconcile.errors import UsageError


def check_writable(path: Path | None, option: str) -> None:
    """Refuse ``path`` now if the file cannot be written later (nothing is created)."""
    if path is None:
        return
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        problem = "does not exist" if not parent.exists() else "is not a directory"
        raise UsageError(
            f"{option} {path}: the directory {parent} {problem}; nothing was read or sent",
            hint=f"create it first (mkdir -p {parent}) or give another path",
        )
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(
            f"{option} {path}: cannot write there; nothing was read or sent",
            hint="give a path in a directory you can write to",
        )
