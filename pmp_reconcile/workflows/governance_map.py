"""``map``: the whole governance tree, from the desired tree or the live marketplace."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pmp_reconcile.org.governance_map import GovernanceMap, governance_map
from pmp_reconcile.org.identity import ensure_organization
from pmp_reconcile.workflows.explain import _desired_or_empty, _keyed
from pmp_reconcile.workflows.org_tree import OrgSource
from pmp_reconcile.workflows.reconcile import Target, read_live


@dataclass(frozen=True)
class MapRequest:
    directory: Path
    live: bool = False


def map_governance(request: MapRequest, target: Target, org_source: OrgSource) -> GovernanceMap:
    """Every OU and account with what governs it (the tree is read whole, top-down)."""
    desired = _desired_or_empty(request.directory, required=not request.live)
    state = _keyed(desired, read_live(target.api(desired))) if request.live else desired
    tree = org_source(())
    if desired.settings.organization_id:
        ensure_organization(desired.settings.organization_id, tree.organization_id)
    return governance_map(state, tree)
