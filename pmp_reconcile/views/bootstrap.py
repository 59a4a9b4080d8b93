"""``bootstrap``'s report: one aligned line per enablement step."""

from __future__ import annotations

from pmp_reconcile.org.steps import StepReport


def render_steps(reports: tuple[StepReport, ...]) -> str:
    width = max(len(r.step) for r in reports)
    return "".join(f"{r.step:<{width}}  {r.outcome.value:<8}  {r.detail}\n" for r in reports)
