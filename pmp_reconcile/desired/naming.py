"""Which files of the tree are read, and what their names mean (the one place naming them).

The experience key is the file stem, so a name that cannot be a key, or a file that looks
meant to be read but is not (``ops.yml``, ``pmp.yml``), is reported rather than skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.spec import KEY_PATTERN, MAX_KEY
from pmp_reconcile.errors import Finding, Location, Severity

SETTINGS_FILE = "pmp.yaml"
PRODUCTS_FILE = "products.yaml"
EXPERIENCES_DIR = "experiences"
#: The JSON Schema of an experience file, which ``import`` writes beside ``pmp.yaml``.
SCHEMA_FILE = "desired-state.schema.json"
_KEY = re.compile(KEY_PATTERN)


def listing(directory: Path, findings: list[Finding]) -> list[Path]:
    """The entries of ``directory`` in name order; an unlistable one is a finding."""
    try:
        return sorted(directory.iterdir())
    except OSError as error:
        reason = error.strerror or str(error)
        findings.append(
            Finding(codes.UNREADABLE, f"cannot list: {reason}", Location(str(directory)))
        )
        return []


def strays(entries: list[Path]) -> list[Finding]:
    """Files at the top that are not read: misnamed settings are errors, the rest warnings."""
    known = {SETTINGS_FILE, PRODUCTS_FILE, EXPERIENCES_DIR}
    found = []
    for path in entries:
        if path.name in known or path.suffix.lower() not in (".yaml", ".yml"):
            continue
        meant = f"{path.stem.lower()}.yaml"
        if meant in (SETTINGS_FILE, PRODUCTS_FILE):
            found.append(_misnamed(path, f"{path.name} is not read", f"rename it to {meant}"))
        else:
            hint = f"settings belong in {SETTINGS_FILE}" if path.stem == "settings" else None
            hint = hint or f"experience files belong in {EXPERIENCES_DIR}/"
            found.append(_warning(codes.UNEXPECTED_FILE, f"{path.name} is not read", path, hint))
    return found


def _misnamed(path: Path, message: str, hint: str) -> Finding:
    return Finding(codes.BAD_FILE_NAME, message, Location(str(path)), hint=hint)


def experience_key(path: Path, findings: list[Finding]) -> str | None:
    """The key (file stem) of an experience file; None for files that are not one."""
    if path.name.startswith("."):
        return None
    if path.is_dir():
        hint = f"experience files sit directly in {EXPERIENCES_DIR}/"
        findings.append(_warning(codes.UNEXPECTED_FILE, f"{path.name}/ is not read", path, hint))
        return None
    if path.suffix != ".yaml" and path.suffix.lower() in (".yaml", ".yml"):
        message = f"{path.name}: experience files end in .yaml"
        findings.append(_misnamed(path, message, f"rename it to {path.stem}.yaml"))
        return None
    if path.suffix != ".yaml":
        hint = f"only <key>.yaml files in {EXPERIENCES_DIR}/ are read"
        findings.append(_warning(codes.UNEXPECTED_FILE, f"{path.name} is not read", path, hint))
        return None
    if not _KEY.match(path.stem):
        message = f"'{path.stem}' cannot be an experience key (the file name without .yaml)"
        hint = f"use lowercase letters, digits, '-' and '_' (at most {MAX_KEY})"
        findings.append(_misnamed(path, message, hint))
        return None
    return path.stem


def _warning(code: str, message: str, path: Path, hint: str | None) -> Finding:
    return Finding(code, message, Location(str(path)), hint=hint, severity=Severity.WARNING)
