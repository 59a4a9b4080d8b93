"""``import``'s report: what was written or kept, and what the next plan will say anyway."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from pmp_reconcile.desired.imported import ImportResult


def render_result(result: ImportResult, connection: Sequence[str] = ()) -> str:
    """What was written, what was kept, and what the next plan will report anyway.

    ``connection`` holds the options import ran with (``--sandbox``, ``--profile``, …): the
    plan it suggests must read the same marketplace.
    """
    count = len(result.experiences)
    lines = [f"Imported {count} experience(s) into {result.out}:"]
    for written in result.experiences:
        verb = "replaced" if written.replaced else "wrote"
        live = written.experience
        lines.append(f"  {verb} {written.path}  ('{live.name}', {live.id})")
    if result.settings_written is not None:
        lines.append(f"  wrote {result.settings_written}")
    if result.settings_kept is not None:
        lines.append(f"  kept {result.settings_kept} (it exists)")
    if result.schema_written is not None:
        lines.append(f"  wrote {result.schema_written}  (the files' schema, for editors)")
    lines += [f"note: {note}" for note in result.notes]
    command = shlex.join(["pmp-reconcile", *connection, "plan", str(result.out)])
    lines.append(f"Next: {command}")
    return "".join(f"{line}\n" for line in lines)
