"""``make_plan``: one pure function from (desired, live) to a :class:`Plan`.

No I/O, clock or randomness: the same inputs give the same plan, byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pmp_reconcile.catalog.vocabulary import CATALOG
from pmp_reconcile.model import (
    Experience,
    LogoFinding,
    MarketplaceState,
    ProductFacts,
    Status,
    UnmanagedPolicy,
)
from pmp_reconcile.plan import codes, guardrails
from pmp_reconcile.plan.actions import explain
from pmp_reconcile.plan.chains import long_chain_warnings
from pmp_reconcile.plan.diff import (
    ExperienceDiff,
    diff_experience,
    diff_unmanaged,
    unsent_notes,
    with_moves_out,
)
from pmp_reconcile.plan.logos import logo_warnings
from pmp_reconcile.plan.match import match_experiences
from pmp_reconcile.plan.pack import pack
from pmp_reconcile.plan.products import product_warnings, products_shown, via_shown
from pmp_reconcile.plan.recorded import record
from pmp_reconcile.plan.values import (
    Action,
    ActionKind,
    ExperiencePlan,
    ExperienceStatus,
    Plan,
    PlanOrigin,
    PlanWarning,
    Summary,
    Wave,
)

NO_ORIGIN = PlanOrigin()


def make_plan(
    desired: MarketplaceState,
    live: MarketplaceState,
    directory: str | None = None,
    products: ProductFacts | None = None,
    origin: PlanOrigin = NO_ORIGIN,
    logos: Sequence[LogoFinding] = (),
) -> Plan:
    """Plan the change sets that bring ``live`` to ``desired`` (read from ``directory``, which
    ``apply --plan`` verifies against afterwards). ``products``, when given, are the Discovery
    facts of :func:`~pmp_reconcile.plan.products.ids_to_look_up`: names and checks; ``origin``
    the commit and target the plan records; ``logos`` what fetching the logo URLs of
    :func:`~pmp_reconcile.plan.logos.logos_to_check` found."""
    pairing = match_experiences(desired.experiences, live.experiences)
    archive = desired.settings.unmanaged_experiences is UnmanagedPolicy.ARCHIVE
    diffs = [diff_experience(d, live_e) for d, live_e in pairing.pairs]
    diffs += [diff_unmanaged(e, archive) for e in sorted(pairing.unmanaged, key=_live_order)]
    diffs = _free_moving_principals(diffs, live.experiences)
    experiences = tuple(_experience_plan(d) for d in diffs)
    waves = pack([d for d in diffs if not d.frozen and not d.is_empty()])
    warnings = _warnings(desired, live, diffs) + long_chain_warnings(waves)
    if products is not None:
        warnings += product_warnings(desired, products)
    warnings += logo_warnings(desired, logos)
    return Plan(
        catalog=CATALOG,
        caller=desired.settings.caller.value,
        directory=directory,
        experiences=experiences,
        waves=waves,
        revisions=live.revisions(),
        live_experiences=tuple(sorted(e.id for e in live.experiences if e.id)),
        live=record(live),
        warnings=tuple(warnings),
        aliases=desired.alias_of(),
        products=products_shown(desired, experiences, products) if products is not None else {},
        via=via_shown(desired, experiences),
        summary=replace(
            _summary(experiences, waves),
            unmanaged_governing=_governing(pairing.unmanaged, desired),
        ),
        commit=origin.commit,
        sandbox=origin.sandbox,
    )


def _governing(unmanaged: Sequence[Experience], desired: MarketplaceState) -> int:
    """Unmanaged experiences that govern accounts: drift under ``warn``.

    ``archive`` plans their archiving (a change); ``ignore`` leaves them out of what the tree
    manages, so they are not drift.
    """
    if desired.settings.unmanaged_experiences is not UnmanagedPolicy.WARN:
        return 0
    return sum(1 for e in unmanaged if _governs(e))


def _governs(experience: Experience) -> bool:
    enabled = experience.status is Status.ENABLED and not experience.archived
    return enabled and bool(experience.principals)


def _live_order(experience: Experience) -> tuple[str, str]:
    return (experience.name, experience.id or "")


def _free_moving_principals(
    diffs: list[ExperienceDiff], live: Sequence[Experience]
) -> list[ExperienceDiff]:
    """A principal joining one experience leaves its live one first (an earlier wave).

    Archived experiences keep their principals (the service refuses to associate them
    elsewhere), so they are moved out like any other; that is the one change planned for an
    experience that otherwise stays archived.
    """
    owner = {p: e.id for e in live for p in e.principals}
    leaving: dict[str, dict[str, str]] = {}
    for diff in diffs:
        for principal in diff.associate:
            current = owner.get(principal)
            if current is not None and current != diff.identifier:
                leaving.setdefault(current, {})[principal] = diff.key
    return [
        with_moves_out(d, leaving[d.identifier]) if d.identifier in leaving else d for d in diffs
    ]


def _experience_plan(diff: ExperienceDiff) -> ExperiencePlan:
    source = diff.desired or diff.live
    assert source is not None
    actions: tuple[Action, ...] = () if diff.frozen else explain(diff)
    return ExperiencePlan(
        key=diff.desired.key if diff.desired else None,
        name=diff.name,
        id=diff.identifier,
        file=diff.desired.source.file if diff.desired and diff.desired.source else None,
        status=_status(diff, actions),
        actions=actions,
    )


def _status(diff: ExperienceDiff, actions: tuple[Action, ...]) -> ExperienceStatus:
    if diff.desired is None:
        return ExperienceStatus.UNMANAGED
    if diff.creates:
        return ExperienceStatus.CREATE
    return ExperienceStatus.UPDATE if actions else ExperienceStatus.UNCHANGED


def _warnings(
    desired: MarketplaceState, live: MarketplaceState, diffs: Sequence[ExperienceDiff]
) -> list[PlanWarning]:
    found = list(guardrails.check(desired.settings.guardrails, diffs))
    policy = desired.settings.unmanaged_experiences
    for diff in diffs:
        found += _diff_warnings(diff, policy)
    for open_set in live.open_change_sets:
        message = (
            f"change set {open_set.id} ('{open_set.name}') is {open_set.status} on "
            f"{', '.join(open_set.entity_ids) or 'the marketplace'}; apply waits for it"
        )
        found.append(PlanWarning.of(codes.OPEN_CHANGE_SET, message))
    return found


def _diff_warnings(diff: ExperienceDiff, policy: UnmanagedPolicy) -> list[PlanWarning]:
    live = diff.live
    found: list[PlanWarning] = []
    if diff.desired is None and live is not None and policy is UnmanagedPolicy.WARN:
        message = f"live experience '{live.name}' ({live.id}) has no file in the desired state"
        found.append(PlanWarning.of(codes.UNMANAGED, message, live.id))
        if live.principals and not live.has_procurement_policy and not live.archived:
            message = (
                f"unmanaged experience '{live.name}' ({live.id}) has principals but no "
                "procurement policy: its audience may buy every product"
            )
            found.append(PlanWarning.of(codes.UNMANAGED_WITHOUT_POLICY, message, live.id))
    if diff.desired is not None and live is not None and not live.has_procurement_policy:
        message = (
            f"experience '{diff.key}' has no procurement policy live: "
            "its audience may buy every product until the plan is applied"
        )
        found.append(PlanWarning.of(codes.NO_POLICY, message, diff.key))
    if diff.desired is not None and live is not None:
        found += _note_warnings(diff.key, diff.desired, live)
    if diff.frozen and _archived_differs(diff):
        message = (
            f"experience '{diff.key}' is archived: other differences from the file are not "
            "applied (set archived: false to change it)"
        )
        found.append(PlanWarning.of(codes.ARCHIVED_DIFFERS, message))
    return found


def _note_warnings(key: str, desired: Experience, live: Experience) -> list[PlanWarning]:
    products = unsent_notes(desired, live)
    if not products:
        return []
    changes = ", ".join(f"{p} {_note(live, p)} → {_note(desired, p)}" for p in products)
    message = (
        f"experience '{key}': notes differ from live and are not changed: {changes}. A note is "
        "sent only with a decision (when a product is first allowed or denied)"
    )
    return [PlanWarning.of(codes.NOTES_NOT_SENT, message, key)]


def _note(experience: Experience, product: str) -> str:
    note = experience.notes.get(product)
    return "(none)" if note is None else repr(note)


def _archived_differs(diff: ExperienceDiff) -> bool:
    assert diff.desired is not None
    assert diff.live is not None
    desired = replace(diff.desired, archived=False)
    live = replace(diff.live, archived=False)
    return not diff_experience(desired, live).is_empty()


def _summary(experiences: Sequence[ExperiencePlan], waves: Sequence[Wave]) -> Summary:
    def count(status: ExperienceStatus) -> int:
        return sum(1 for e in experiences if e.status is status)

    def items(kind: ActionKind) -> int:
        return sum(len(a.items) for e in experiences for a in e.actions if a.kind is kind)

    archived = sum(1 for e in experiences for a in e.actions if a.kind is ActionKind.ARCHIVE)
    return Summary(
        create=count(ExperienceStatus.CREATE),
        update=count(ExperienceStatus.UPDATE),
        unchanged=count(ExperienceStatus.UNCHANGED),
        unmanaged=count(ExperienceStatus.UNMANAGED),
        archive=archived,
        products_allowed=items(ActionKind.ALLOW_PRODUCTS),
        products_denied=items(ActionKind.DENY_PRODUCTS),
        principals_added=items(ActionKind.ADD_PRINCIPALS),
        principals_removed=items(ActionKind.REMOVE_PRINCIPALS),
        change_sets=sum(len(c.change_sets) for w in waves for c in w.chains),
        waves=len(waves),
    )
