"""A saved plan meets live again: read it as apply will, and refuse it if anything moved.

Change sets this tool left open (an interrupted apply) are waited for, as for any apply. One
that another tool has open on an entity the plan read is not: whatever it does will move that
entity, so the plan is refused at once, naming it.
"""

from __future__ import annotations

from pmp_reconcile.apply.executor import Executor
from pmp_reconcile.apply.stale import staleness
from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.catalog.reader import LiveReader
from pmp_reconcile.errors import StalePlanError
from pmp_reconcile.model import MarketplaceState
from pmp_reconcile.plan.values import Plan
from pmp_reconcile.views.stale import HEADLINE, stale_lines
from pmp_reconcile.workflows.outside_git import since_ours

STALE_HINT = "run `pmp-reconcile plan --out FILE` again and review the new plan"


def _authors(api: CatalogApi, moved: tuple[str, ...]) -> dict[str, list[dict[str, str]]]:
    """Per experience, the change sets that succeeded on it after this tool's latest one (the
    API keeps 60 days; some may predate the plan, which records no time)."""
    found = {i: since_ours(api.succeeded_on(i))[0] for i in moved}
    return {i: [vars(c) for c in others] for i, others in found.items() if others}


def read_for_saved_plan(api: CatalogApi, executor: Executor) -> MarketplaceState:
    """Live as a saved plan is checked against: after this tool's open change sets ended."""
    live = LiveReader(api).read()
    open_sets = live.open_change_sets
    if not open_sets or any(not c.ours for c in open_sets):
        return live
    executor.wait_for([c.id for c in open_sets])
    return LiveReader(api).read()


def ensure_fresh(plan: Plan, live: MarketplaceState, api: CatalogApi | None = None) -> None:
    """Raise :class:`StalePlanError` naming every move when ``live`` is not what was planned;
    with ``api``, also the change sets others ran on what moved."""
    moved = staleness(plan, live)
    if moved:
        if api is not None:
            moved = moved.with_authors(_authors(api, moved.value_moved()))
        document = moved.to_document()
        raise StalePlanError(
            HEADLINE, details=stale_lines(document), document=document, hint=STALE_HINT
        )
