"""``plan --org-impact``: the plan, and who in the organization it affects."""

from __future__ import annotations

from pathlib import Path

from pmp_reconcile.org.identity import ensure_organization
from pmp_reconcile.org.impact import OrgImpact, before_and_after, org_impact
from pmp_reconcile.plan.values import Plan
from pmp_reconcile.workflows.org_tree import OrgSource
from pmp_reconcile.workflows.reconcile import READ_AS_IS, PlanOptions, Target, planning


def plan_with_impact(
    directory: Path,
    target: Target,
    org_source: OrgSource,
    options: PlanOptions = READ_AS_IS,
) -> tuple[Plan, OrgImpact]:
    """The plan of ``plan_directory``, then its impact over the whole organization tree."""
    planned = planning(directory, target, options)
    tree = org_source(())
    organization_id = planned.desired.settings.organization_id
    if organization_id:
        ensure_organization(organization_id, tree.organization_id)
    before, after = before_and_after(planned.desired, planned.live)
    return planned.plan, org_impact(before, after, tree)
