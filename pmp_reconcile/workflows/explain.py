"""``explain``: which experience governs an account (or OU), and may it buy a product.

From the desired tree (what will govern once applied) or the live marketplace (what governs
now). The organization tree comes from an :data:`OrgSource` (Organizations, or a file).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pmp_reconcile.desired.loader import load_desired_state
from pmp_reconcile.desired.products import resolve, unknown_hint
from pmp_reconcile.errors import MatchError, UsageError
from pmp_reconcile.model import MarketplaceState, NodeKind
from pmp_reconcile.org.governance import Explanation, govern, may_buy, principal_index
from pmp_reconcile.org.identity import ensure_organization
from pmp_reconcile.org.ids import require
from pmp_reconcile.plan.match import keyed, match_experiences
from pmp_reconcile.workflows.org_tree import OrgSource
from pmp_reconcile.workflows.reconcile import Target, read_live


@dataclass(frozen=True)
class ExplainRequest:
    node_id: str
    directory: Path
    live: bool = False
    product: str | None = None


def explain(request: ExplainRequest, target: Target, org_source: OrgSource) -> Explanation:
    """Validate the ids first (no AWS call on bad input), then read the state and the tree."""
    require(request.node_id, NodeKind.ACCOUNT, NodeKind.OU)
    desired = _desired_or_empty(request.directory, required=not request.live)
    product = _product_id(request.product, desired) if request.product else None
    state = _keyed(desired, read_live(target.api(desired))) if request.live else desired
    tree = org_source([request.node_id])
    if desired.settings.organization_id:
        ensure_organization(desired.settings.organization_id, tree.organization_id)
    governance = govern(tree.ancestry(request.node_id), principal_index(state))
    verdict = may_buy(governance.governing, product) if product else None
    if verdict is not None:
        verdict = replace(verdict, name=_product_name(verdict.product, target, request.live))
    return Explanation(request.node_id, governance, verdict)


def _product_name(product: str, target: Target, live: bool) -> str | None:
    """What Discovery calls the product. From the tree, explain calls no AWS, so the name is
    the one earlier plans cached, if any; with --live it is looked up."""
    if target.products is None:
        return None
    if not live:
        return target.products.cached([product]).name_of(product)
    return target.products.facts([product]).name_of(product)


def _desired_or_empty(directory: Path, required: bool) -> MarketplaceState:
    """The tree (its settings and aliases serve --live too); --live works without one."""
    if not required and not directory.is_dir():
        return MarketplaceState()
    return load_desired_state(directory)


def _product_id(reference: str, desired: MarketplaceState) -> str:
    found = resolve(reference, desired.aliases)
    if found is None:
        raise UsageError(
            f"'{reference}' is neither a product id nor an alias from products.yaml",
            hint=unknown_hint(reference, desired.aliases),
        )
    return found


def _keyed(desired: MarketplaceState, live: MarketplaceState) -> MarketplaceState:
    """Live experiences named by the file keys that manage them, where the tree says."""
    try:
        pairing = match_experiences(desired.experiences, live.experiences)
    except MatchError:
        return live
    return replace(live, experiences=keyed(pairing, live.experiences))
