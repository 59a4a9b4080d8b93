"""Pack experience diffs into StartChangeSet payloads, in waves, under every API limit.

Waves run in order; in a wave each experience has one chain of change sets run one after the
other (the API locks an entity while a change set on it is open):

1. *prepare*: revive archived experiences; disassociate principals that move elsewhere, so
   no principal is ever associated with two experiences.
2. *reconcile*: everything else. A new experience is created with its policy, branding, first
   products and principals in one change set through ``$NewExperience.Entity.Identifier``.
3. *archive*: RestrictExperience, after the experience was disabled in wave 2.

Within a change set each change type appears at most once per entity, so more than 50
products (or principals) to allow means more change sets in the chain. Disabling goes in the
first change set of a chain and enabling in the last, so an experience never governs with a
half-applied product list.

Every change set is checked against the API's limits as it is made (:func:`within_limits`);
they cannot be crossed, so a failure there is a bug: a set holds at most one change per change
type (12 types, the limit is 20 changes), a change at most 50 ids or principals (cut here), and
the largest Details the file format allows (50 ids and notes of at most 50 characters each,
branding text of at most 1,000 and a logo URL of 2,048) stay far below 16,384 characters.

A change set for an experience that an earlier change set of the plan creates names it in
``needs_created``; its changes carry no ``Entity.Identifier`` until apply knows the id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pmp_reconcile.catalog import changes as build
from pmp_reconcile.catalog.vocabulary import ChangeType
from pmp_reconcile.model import Status
from pmp_reconcile.plan.diff import ExperienceDiff
from pmp_reconcile.plan.values import Chain, PlannedChangeSet, Wave

_PrincipalBuilder = Callable[[build.Target, Iterable[str]], build.Change]
_ProductBuilder = Callable[[build.Target, Sequence[str], Mapping[str, str]], build.Change]

WAVE_PURPOSES = {
    1: "prepare: revive experiences and free principals that move",
    2: "reconcile: create and update experiences",
    3: "archive: restrict experiences disabled in the previous wave",
}
#: The order of changes within one change set (the experience first, the audience last).
CHANGE_ORDER: tuple[ChangeType, ...] = (
    ChangeType.CREATE_EXPERIENCE,
    ChangeType.REVIVE_EXPERIENCE,
    ChangeType.UPDATE_EXPERIENCE,
    ChangeType.CREATE_PROCUREMENT_POLICY,
    ChangeType.UPDATE_PROCUREMENT_POLICY,
    ChangeType.CREATE_BRANDING_SETTINGS,
    ChangeType.UPDATE_BRANDING_SETTINGS,
    ChangeType.DISASSOCIATE_AUDIENCE,
    ChangeType.ALLOW_PRODUCT_PROCUREMENT,
    ChangeType.DENY_PRODUCT_PROCUREMENT,
    ChangeType.ASSOCIATE_AUDIENCE,
    ChangeType.RESTRICT_EXPERIENCE,
)


def _position(change: build.Change) -> int:
    return CHANGE_ORDER.index(build.change_type(change))


@dataclass
class _Batch:
    """Changes for one experience in one wave, before they are cut into change sets."""

    first: list[build.Change] = field(default_factory=list)
    chunks: list[list[build.Change]] = field(default_factory=list)
    last: list[build.Change] = field(default_factory=list)
    separate: list[build.Change] = field(default_factory=list)

    def change_sets(self) -> list[list[build.Change]]:
        count = max([1, *(len(c) for c in self.chunks)])
        sets = [[change] for change in self.separate]
        if not (self.first or self.last or any(self.chunks)):
            return sets
        for index in range(count):
            members = list(self.first) if index == 0 else []
            members += [chunk[index] for chunk in self.chunks if index < len(chunk)]
            members += self.last if index == count - 1 else []
            sets.append(sorted(members, key=_position))
        return sets


def pack(diffs: Sequence[ExperienceDiff]) -> tuple[Wave, ...]:
    """All waves for the given diffs, numbered as they run (empty waves are left out, so a
    plan that only reconciles has one wave, 1, whose ``purpose`` says which kind it is)."""
    waves: list[Wave] = []
    for kind, purpose in WAVE_PURPOSES.items():
        number = len(waves) + 1
        chains = tuple(c for d in diffs if (c := _chain(d, kind, number)) is not None)
        if chains:
            waves.append(Wave(index=number, purpose=purpose, chains=chains))
    return tuple(waves)


def _chain(diff: ExperienceDiff, kind: int, number: int) -> Chain | None:
    """The chain of one experience in the wave of ``kind`` (1..3), run as wave ``number``."""
    batch = {1: _prepare, 2: _reconcile, 3: _archive}[kind](diff)
    sets = batch.change_sets()
    if not sets:
        return None
    named = tuple(_planned(diff, (kind, number), i, s, len(sets)) for i, s in enumerate(sets))
    return Chain(experience=diff.key, change_sets=named)


def _planned(
    diff: ExperienceDiff,
    wave: tuple[int, int],
    index: int,
    changes: list[build.Change],
    count: int,
) -> PlannedChangeSet:
    """Only the first change set of a new experience's reconcile wave can refer to it by the
    API's reference; the rest wait for its id. ``wave`` is (kind, number as it runs)."""
    kind, number = wave
    needs_created = diff.key if diff.creates and (kind != 2 or index) else None
    if needs_created is not None:
        changes = [build.with_identifier(c, None) for c in changes]
    return PlannedChangeSet(
        name=_set_name(diff.key, number, index, count),
        changes=within_limits(changes),
        needs_created=needs_created,
    )


def within_limits(changes: Sequence[build.Change]) -> tuple[build.Change, ...]:
    """The change set, once it is known to be within StartChangeSet's limits (see above)."""
    if len(changes) > build.MAX_CHANGES_PER_CHANGE_SET:
        raise ValueError(f"{len(changes)} changes in one change set")
    too_large = [
        c["ChangeType"] for c in changes if build.details_size(c) > build.MAX_DETAILS_CHARS
    ]
    if too_large:
        raise ValueError(f"Details over {build.MAX_DETAILS_CHARS} characters: {too_large}")
    return tuple(changes)


# ChangeSetName allows 1-100 characters of [\w\s+=.:@-] [API reference, StartChangeSet].
_UNNAMEABLE = re.compile(r"[^\w\s+=.:@-]")


def _set_name(key: str, wave: int, index: int, count: int) -> str:
    suffix = f" part {index + 1} of {count}" if count > 1 else ""
    name = f"{build.CHANGE_SET_NAME_PREFIX}{key} wave {wave}{suffix}"
    return _UNNAMEABLE.sub("-", name)[:100]


def _identifier(diff: ExperienceDiff, wave: int) -> build.Target:
    """The live id; for a new experience, the API's reference in wave 2 (its first change set
    and the only one that may use it) and nothing elsewhere (``needs_created``)."""
    if diff.identifier is not None:
        return diff.identifier
    return build.NEW_EXPERIENCE_REFERENCE if wave == 2 else None


def _prepare(diff: ExperienceDiff) -> _Batch:
    ident = _identifier(diff, 1)
    batch = _Batch()
    if diff.revive:
        batch.separate.append(build.revive_experience(ident))
    batch.chunks.append(_principal_changes(build.disassociate_audience, ident, diff.moving_out))
    return batch


def _reconcile(diff: ExperienceDiff) -> _Batch:
    ident = _identifier(diff, 2)
    batch = _Batch()
    if diff.creates:
        batch.first.append(build.create_experience(diff.name, dict(diff.texts)))
    _place_update(batch, diff, ident)
    batch.first += _policy_changes(diff, ident)
    batch.first += _branding_changes(diff, ident)
    staying = [p for p in diff.disassociate if p not in diff.moving_out]
    batch.chunks.append(_principal_changes(build.disassociate_audience, ident, staying))
    batch.chunks.append(_product_changes(build.allow_products, ident, diff.allow, diff))
    batch.chunks.append(_product_changes(build.deny_products, ident, diff.deny, diff))
    batch.chunks.append(_principal_changes(build.associate_audience, ident, diff.associate))
    return batch


def _archive(diff: ExperienceDiff) -> _Batch:
    batch = _Batch()
    if diff.archive:
        batch.first.append(build.restrict_experience(_identifier(diff, 3)))
    return batch


def _place_update(batch: _Batch, diff: ExperienceDiff, ident: build.Target) -> None:
    name = diff.rename if not diff.creates else None
    texts = dict(diff.texts) if not diff.creates else {}
    status = diff.status
    if name is None and not texts and status is None:
        return
    change = build.update_experience(ident, name=name, texts=texts, status=status)
    (batch.last if status is Status.ENABLED else batch.first).append(change)


def _policy_changes(diff: ExperienceDiff, ident: build.Target) -> list[build.Change]:
    if diff.create_policy is not None:
        name = build.entity_name(diff.key, "-policy")
        return [build.create_procurement_policy(ident, name, diff.create_policy)]
    if diff.set_requests is not None:
        return [build.update_procurement_policy(ident, diff.set_requests)]
    return []


def _branding_changes(diff: ExperienceDiff, ident: build.Target) -> list[build.Change]:
    if diff.branding is None:
        return []
    if diff.creates or (diff.live is not None and diff.live.branding is None):
        name = build.entity_name(diff.key, "-branding")
        return [build.create_branding_settings(ident, name, diff.branding)]
    return [build.update_branding_settings(ident, diff.branding)]


def _chunks(items: Sequence[str], size: int) -> list[list[str]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _principal_changes(
    builder: _PrincipalBuilder, ident: build.Target, principals: Iterable[str]
) -> list[build.Change]:
    ordered = sorted(principals)
    return [builder(ident, chunk) for chunk in _chunks(ordered, build.MAX_PRINCIPALS_PER_CHANGE)]


def _product_changes(
    builder: _ProductBuilder, ident: build.Target, products: Sequence[str], diff: ExperienceDiff
) -> list[build.Change]:
    notes = dict(diff.desired.notes) if diff.desired else {}
    return [builder(ident, chunk, notes) for chunk in _chunks(products, build.MAX_IDS_PER_CHANGE)]
