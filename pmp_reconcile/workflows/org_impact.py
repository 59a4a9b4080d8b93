"""``plan --org-impact``: the plan, and who in the organization it affects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pmp_reconcile.apply.executor import Executor
from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.desired.loader import load_desired_state
from pmp_reconcile.org.identity import ensure_organization
from pmp_reconcile.org.impact import OrgImpact, before_and_after, org_impact
from pmp_reconcile.plan.make import make_plan
from pmp_reconcile.plan.values import Plan
from pmp_reconcile.workflows.org_tree import OrgSource
from pmp_reconcile.workflows.reconcile import Target, read_live, read_settled


def plan_with_impact(
    directory: Path,
    target: Target,
    org_source: OrgSource,
    executor_for: Callable[[CatalogApi], Executor] | None = None,
) -> tuple[Plan, OrgImpact]:
    """Like ``plan_directory``, then the impact over the whole organization tree."""
    desired = load_desired_state(directory)
    api = target.api(desired)
    live = read_live(api) if executor_for is None else read_settled(api, executor_for(api))
    plan = make_plan(desired, live).model_copy(update={"directory": str(directory)})
    tree = org_source(())
    if desired.settings.organization_id:
        ensure_organization(desired.settings.organization_id, tree.organization_id)
    before, after = before_and_after(desired, live)
    return plan, org_impact(before, after, tree)
