"""Guardrails from ``pmp.yaml``: destructive plans become error-level warnings.

A plan with an error-level warning is still shown in full; ``apply`` refuses it unless given
``--allow-destructive``. Counted: products that lose their live approval (explicit denials of
products nobody could buy are not removals) and principals disassociated without joining
another experience in the same plan (a move keeps them governed).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pmp_reconcile.model import Guardrails, NodeKind, Status, node_kind
from pmp_reconcile.plan import codes
from pmp_reconcile.plan.codes import PlanCode
from pmp_reconcile.plan.diff import ExperienceDiff
from pmp_reconcile.plan.values import PlanWarning


def product_removals(diff: ExperienceDiff) -> int:
    allowed = diff.live.allowed if diff.live else frozenset()
    return sum(1 for product in diff.deny if product in allowed)


def principal_removals(diff: ExperienceDiff) -> int:
    return sum(1 for p in diff.disassociate if p not in diff.moving_out)


def check(guardrails: Guardrails, diffs: Sequence[ExperienceDiff]) -> Iterator[PlanWarning]:
    products = sum(product_removals(d) for d in diffs)
    if products > guardrails.max_product_removals:
        yield _crossing(
            codes.PRODUCT_REMOVALS,
            f"{products} product(s) lose their approval; guardrails.max_product_removals is "
            f"{guardrails.max_product_removals}",
        )
    principals = sum(principal_removals(d) for d in diffs)
    if principals > guardrails.max_principal_removals:
        yield _crossing(
            codes.PRINCIPAL_REMOVALS,
            f"{principals} principal(s) are disassociated; guardrails.max_principal_removals is "
            f"{guardrails.max_principal_removals}",
        )
    for diff in diffs:
        yield from _protected(guardrails, diff)
        yield from _root_disable(diff)


def _crossing(code: PlanCode, message: str, experience: str | None = None) -> PlanWarning:
    return PlanWarning.of(code, f"{message} (apply needs --allow-destructive)", experience)


def _protected(guardrails: Guardrails, diff: ExperienceDiff) -> Iterator[PlanWarning]:
    if diff.desired is None or diff.key not in guardrails.protected:
        return
    harms = []
    if diff.status is Status.DISABLED:
        harms.append("disabled")
    if diff.archive:
        harms.append("archived")
    if principal_removals(diff):
        harms.append(f"loses {principal_removals(diff)} principal(s)")
    if harms:
        message = f"protected experience '{diff.key}' would be {' and '.join(harms)}"
        yield _crossing(codes.PROTECTED, message, diff.key)


def _root_disable(diff: ExperienceDiff) -> Iterator[PlanWarning]:
    live = diff.live
    if live is None or diff.status is not Status.DISABLED:
        return
    if any(node_kind(p) is NodeKind.ORGANIZATION for p in live.principals):
        message = (
            f"experience '{diff.key}' governs the whole organization and is being disabled: "
            "accounts without a closer live experience may buy anything in AWS Marketplace"
        )
        yield PlanWarning.of(codes.ORGANIZATION_DISABLED, message, diff.key)
