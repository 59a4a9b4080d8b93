"""``import``'s report: what was written or kept, and what the next plan will say anyway."""

from __future__ import annotations

from pmp_reconcile.desired.imported import ImportResult


def render_result(result: ImportResult) -> str:
    """What was written, what was kept, and what the next plan will report anyway."""
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
    lines += [f"note: {note}" for note in result.notes]
    lines.append(f"Next: pmp-reconcile plan {result.out}")
    return "".join(f"{line}\n" for line in lines)
