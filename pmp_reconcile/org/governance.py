"""Who governs an account or OU, and whether it may buy a product: pure rules, no AWS calls.

The closest *live* experience wins: walking up from the node (the node itself, its OUs, the
root, the organization), the first experience associated with a level that is enabled and not
archived governs. A disabled or archived one is skipped and the walk goes on upward. The root
(``r-…``) cannot be associated; the organization is associated by its ``o-…`` id. With no
governing experience the whole public marketplace is open; an experience without a
procurement policy allows everything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pmp_reconcile.model import (
    Experience,
    MarketplaceState,
    NodeKind,
    RequestPolicy,
    Status,
    node_kind,
)

PrincipalIndex = Mapping[str, Experience]


def experience_label(experience: Experience) -> str:
    """How an experience is named in output: its file key, else its id, else its name."""
    return experience.key or experience.id or experience.name


def governs(experience: Experience) -> bool:
    return experience.status is Status.ENABLED and not experience.archived


def principal_index(state: MarketplaceState) -> dict[str, Experience]:
    """Principal → the experience it is associated with (a live one first, then by label)."""
    index: dict[str, Experience] = {}
    ordered = sorted(state.experiences, key=lambda e: (not governs(e), experience_label(e)))
    for experience in ordered:
        for principal in experience.principals:
            index.setdefault(principal, experience)
    return index


@dataclass(frozen=True)
class Step:
    """One level of the walk: the node and the experience associated with it, if any."""

    id: str
    kind: NodeKind
    experience: Experience | None

    @property
    def skipped(self) -> bool:
        return self.experience is not None and not governs(self.experience)


@dataclass(frozen=True)
class Governance:
    """The walk from a node up to the organization and the experience that governs it."""

    steps: tuple[Step, ...]
    governing: Experience | None


def govern(ancestry: Sequence[str], index: PrincipalIndex) -> Governance:
    """Walk ``ancestry`` (closest first) and stop at the first governing experience."""
    steps: list[Step] = []
    for node_id in ancestry:
        kind = node_kind(node_id)
        assert kind is not None, node_id
        experience = None if kind is NodeKind.ROOT else index.get(node_id)
        steps.append(Step(node_id, kind, experience))
        if experience is not None and governs(experience):
            return Governance(tuple(steps), experience)
    return Governance(tuple(steps), None)


@dataclass(frozen=True)
class ProductVerdict:
    """``name``: what the Discovery API calls the product, when it was asked."""

    product: str
    allowed: bool
    reason: str
    name: str | None = None


def may_buy(governing: Experience | None, product: str) -> ProductVerdict:
    """Whether accounts under ``governing`` may buy ``product``, and why."""
    if governing is None:
        reason = "no live experience governs it: the whole public marketplace is open"
        return ProductVerdict(product, True, reason)
    name = f"experience '{experience_label(governing)}'"
    if governing.software_requests is None:
        return ProductVerdict(product, True, f"{name} has no procurement policy: all allowed")
    if product in governing.allowed:
        return ProductVerdict(product, True, f"allowed in {name}")
    if product in governing.denied:
        return ProductVerdict(product, False, f"denied in {name}")
    requests = governing.software_requests is RequestPolicy.ALLOW
    tail = "; users may request it" if requests else ""
    return ProductVerdict(product, False, f"not allowed in {name}{tail}")


def allowed_products(governing: Experience | None) -> frozenset[str] | None:
    """The products that may be bought, or None for everything."""
    if governing is None or governing.software_requests is None:
        return None
    return governing.allowed


@dataclass(frozen=True)
class Explanation:
    node_id: str
    governance: Governance
    product: ProductVerdict | None = None

    def to_document(self) -> dict[str, Any]:
        is_ou = self.governance.steps[0].kind is NodeKind.OU
        document: dict[str, Any] = {"ou_id" if is_ou else "account_id": self.node_id}
        document["path"] = [
            {
                "id": step.id,
                "type": step.kind.value,
                "experience": experience_label(step.experience) if step.experience else None,
            }
            for step in self.governance.steps
        ]
        governing = self.governance.governing
        document["governing_experience"] = (
            {"key": governing.key, "name": governing.name, "id": governing.id}
            if governing
            else None
        )
        if self.product is not None:
            verdict = self.product
            document["product"] = {
                "id": verdict.product,
                "allowed": verdict.allowed,
                "reason": verdict.reason,
            }
            if verdict.name is not None:
                document["product"]["name"] = verdict.name
        return document
