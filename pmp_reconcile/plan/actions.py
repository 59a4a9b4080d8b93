"""Explain a diff as actions with reasons; high-impact ones are flagged for reviewers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pmp_reconcile.model import NodeKind, Status, node_kind
from pmp_reconcile.plan.diff import ExperienceDiff
from pmp_reconcile.plan.values import Action, ActionKind, FieldChange

Explainer = Callable[[ExperienceDiff], Iterator[Action]]


def explain(diff: ExperienceDiff) -> tuple[Action, ...]:
    """All actions of one diff, in the order a reviewer reads them."""
    explainers: tuple[Explainer, ...] = (
        _lifecycle,
        _settings,
        _principals,
        _products,
        _branding,
    )
    return tuple(action for explainer in explainers for action in explainer(diff))


def _audience(diff: ExperienceDiff, enabling: bool) -> tuple[str, ...]:
    """Who the status change affects: the file's principals going live, the live ones not."""
    source = diff.desired if enabling and diff.desired is not None else diff.live
    return tuple(sorted(source.principals)) if source else ()


def _lifecycle(diff: ExperienceDiff) -> Iterator[Action]:
    if diff.creates:
        yield Action(kind=ActionKind.CREATE, reason=f"no live experience is named '{diff.name}'")
    if diff.revive:
        yield Action(kind=ActionKind.REVIVE, reason="archived live, not archived in the file")
    if diff.status is not None:
        yield _status_action(diff)
    if diff.archive:
        reason = "archived: true in the file" if diff.desired else "unmanaged: archive (pmp.yaml)"
        yield Action(kind=ActionKind.ARCHIVE, reason=reason, high_impact=True)


def _status_action(diff: ExperienceDiff) -> Action:
    enabling = diff.status is Status.ENABLED
    kind = ActionKind.ENABLE if enabling else ActionKind.DISABLE
    audience = _audience(diff, enabling)
    verb = "starts" if enabling else "stops"
    reason = f"{verb} governing {len(audience)} principal(s)"
    if diff.desired is None:
        reason += " (unmanaged experience being archived)"
    before = diff.live.status.value if diff.live else None
    return Action(
        kind=kind,
        reason=reason,
        items=audience,
        before=before,
        after=diff.status.value if diff.status else None,
        high_impact=True,
    )


def _settings(diff: ExperienceDiff) -> Iterator[Action]:
    live = diff.live
    if diff.rename is not None and live is not None:
        reason = "the file pins this experience by id and names it differently"
        yield Action(kind=ActionKind.RENAME, reason=reason, before=live.name, after=diff.rename)
    for field, value in diff.texts if live is not None else ():
        yield Action(
            kind=ActionKind.of(f"set_{field}"),
            reason=f"{field} differs from the file",
            before=getattr(live, field),
            after=value,
        )
    if diff.create_policy is not None:
        yield _policy_creation(diff)
    if diff.set_requests is not None and live is not None:
        before = live.software_requests.value if live.software_requests else None
        yield Action(
            kind=ActionKind.SET_REQUESTS,
            reason="software_requests differs from the file",
            before=before,
            after=diff.set_requests.value,
        )


def _policy_creation(diff: ExperienceDiff) -> Action:
    assert diff.create_policy is not None
    if diff.creates:
        reason = "every experience gets a procurement policy"
        return Action(kind=ActionKind.CREATE_POLICY, reason=reason, after=diff.create_policy.value)
    reason = "the live experience has no procurement policy: its audience may buy every product"
    return Action(
        kind=ActionKind.CREATE_POLICY,
        reason=reason,
        after=diff.create_policy.value,
        high_impact=True,
    )


def _touches_organization(principals: tuple[str, ...]) -> bool:
    return any(node_kind(p) is NodeKind.ORGANIZATION for p in principals)


def _principals(diff: ExperienceDiff) -> Iterator[Action]:
    if diff.disassociate:
        reason = "associated live, not listed in the file"
        if diff.moving_to:
            moves = ", ".join(f"{p} → '{key}'" for p, key in diff.moving_to)
            reason += f"; leaving first for another experience: {moves}"
        yield Action(
            kind=ActionKind.REMOVE_PRINCIPALS,
            reason=reason,
            items=diff.disassociate,
            high_impact=True,
        )
    if diff.associate:
        yield Action(
            kind=ActionKind.ADD_PRINCIPALS,
            reason="listed in the file, not associated live",
            items=diff.associate,
            high_impact=_touches_organization(diff.associate),
        )


def _products(diff: ExperienceDiff) -> Iterator[Action]:
    if diff.allow:
        reason = "listed in products.allow, not allowed live"
        notes = _notes(diff, diff.allow)
        yield Action(kind=ActionKind.ALLOW_PRODUCTS, reason=reason, items=diff.allow, notes=notes)
    live_allowed = diff.live.allowed if diff.live else frozenset()
    removed = tuple(p for p in diff.deny if p in live_allowed)
    denied = tuple(p for p in diff.deny if p not in live_allowed)
    if removed:
        reason = "allowed live, not listed in products.allow: users lose it"
        yield Action(kind=ActionKind.DENY_PRODUCTS, reason=reason, items=removed, high_impact=True)
    if denied:
        reason = "listed in products.deny"
        notes = _notes(diff, denied)
        yield Action(kind=ActionKind.DENY_PRODUCTS, reason=reason, items=denied, notes=notes)


def _notes(diff: ExperienceDiff, products: tuple[str, ...]) -> dict[str, str]:
    """The notes the file gives these products: they are sent with the decision."""
    given = diff.desired.notes if diff.desired else {}
    return {p: given[p] for p in products if p in given}


def _branding(diff: ExperienceDiff) -> Iterator[Action]:
    if diff.branding is None:
        return
    current = diff.live.branding if diff.live else None
    fields = tuple(
        FieldChange(field=field, before=getattr(current, field) if current else None, after=value)
        for field, value in diff.branding.items()
        if value is not None and (current is None or getattr(current, field) != value)
    )
    items = tuple(f"{change.field}: {change.after}" for change in fields)
    if current is None:
        kind, reason = ActionKind.CREATE_BRANDING, "branding set in the file, none live"
    else:
        kind, reason = ActionKind.UPDATE_BRANDING, "branding differs from the file"
    yield Action(kind=kind, reason=reason, items=items, fields=fields)
