"""Refuse a saved plan whose live entities moved since it was made."""

from __future__ import annotations

from collections.abc import Mapping

from pmp_reconcile.errors import StalePlanError
from pmp_reconcile.model import MarketplaceState
from pmp_reconcile.plan.values import Plan


def staleness(plan: Plan, live: MarketplaceState) -> list[str]:
    """What moved: changed revisions, entities gone or new, experiences added or removed."""
    now = live.revisions()
    moved = _compare(plan.revisions, now)
    experiences = {e.id for e in live.experiences if e.id}
    added = sorted(experiences - set(plan.live_experiences))
    moved += [f"experience {i} was created after the plan" for i in added]
    return moved


def _compare(planned: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    moved = []
    for entity_id, revision in sorted(planned.items()):
        if entity_id not in now:
            moved.append(f"{entity_id} is gone")
        elif now[entity_id] != revision:
            moved.append(f"{entity_id} moved from revision {revision} to {now[entity_id]}")
    moved += [f"{i} appeared after the plan" for i in sorted(set(now) - set(planned))]
    return moved


def ensure_fresh(plan: Plan, live: MarketplaceState) -> None:
    moved = staleness(plan, live)
    if moved:
        shown = "; ".join(moved[:10]) + (f"; and {len(moved) - 10} more" if len(moved) > 10 else "")
        raise StalePlanError(
            f"the saved plan is stale: {shown}",
            hint="run `pmp-reconcile plan --out FILE` again and review the new plan",
        )
