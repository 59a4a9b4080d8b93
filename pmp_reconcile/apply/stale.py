"""Refuse a saved plan whose live entities moved since it was made, saying what moved.

The plan records the values of every live experience it read (``Plan.live``); a fresh read is
compared with them path by path (deepdiff, ids compared as sets: their order means nothing).
Each difference is named for the experience's key and file: a field with old → new, products
and principals someone else allowed, denied, associated or disassociated, an experience
created or gone, a change set another tool has open. A revision that moved while every value
planned from stayed the same still makes the plan stale (the API would refuse its changes).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import fields
from enum import StrEnum
from typing import Any

from deepdiff import DeepDiff
from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from pmp_reconcile.model import Experience, MarketplaceState, OpenChangeSet
from pmp_reconcile.plan.recorded import RecordedExperience
from pmp_reconcile.plan.values import ExperiencePlan, Plan


class MoveKind(StrEnum):
    """What kind of move a stale plan reports; ``label`` is how it reads."""

    FIELD = "field"
    ALLOWED = "products_allowed"
    UNALLOWED = "products_no_longer_allowed"
    DENIED = "products_denied"
    UNDENIED = "products_no_longer_denied"
    ASSOCIATED = "principals_associated"
    DISASSOCIATED = "principals_disassociated"
    CHANGE_SET = "open_change_set"
    CHANGED_BY = "changed_by"
    CREATED = "created"
    GONE = "gone"
    REVISION = "revision"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS: dict[MoveKind, str] = {
    MoveKind.FIELD: "changed",
    MoveKind.ALLOWED: "products allowed by someone else",
    MoveKind.UNALLOWED: "products no longer allowed",
    MoveKind.DENIED: "products denied by someone else",
    MoveKind.UNDENIED: "products no longer denied",
    MoveKind.ASSOCIATED: "principals associated by someone else",
    MoveKind.DISASSOCIATED: "principals disassociated by someone else",
    MoveKind.CHANGE_SET: "a change set by another tool is open on it",
    MoveKind.CHANGED_BY: "a change set by someone else since this tool last applied it",
    MoveKind.CREATED: "created after the plan, outside it",
    MoveKind.GONE: "gone since the plan",
    MoveKind.REVISION: "revision moved, the values planned from did not",
}


#: Moves that are not a value moving on a live experience.
_NOT_VALUES = frozenset({MoveKind.CREATED, MoveKind.GONE, MoveKind.CHANGE_SET, MoveKind.CHANGED_BY})

#: A set member of the recorded values → the kinds of its items added and removed.
_SET_MOVES: dict[str, tuple[MoveKind, MoveKind]] = {
    "allowed": (MoveKind.ALLOWED, MoveKind.UNALLOWED),
    "denied": (MoveKind.DENIED, MoveKind.UNDENIED),
    "principals": (MoveKind.ASSOCIATED, MoveKind.DISASSOCIATED),
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Move(_Frozen):
    """One thing that moved. ``field`` (``description``, ``branding.title``, ``notes.prod-…``)
    with ``before``/``after`` for a value; ``items`` for ids; ``change_set`` for an open one."""

    kind: MoveKind
    field: str | None = None
    before: str | bool | None = None
    after: str | bool | None = None
    items: tuple[str, ...] = ()
    change_set: dict[str, str] | None = None

    @model_serializer(mode="wrap")
    def _leave_out_unset(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A move carries only its own members (``before`` of a field set anew is kept)."""
        body: dict[str, Any] = handler(self)
        if self.kind is MoveKind.FIELD:
            return {k: body[k] for k in ("kind", "field", "before", "after")}
        return {k: v for k, v in body.items() if v not in (None, [], ())}


class ExperienceMoves(_Frozen):
    """What moved on one live experience, named as the plan names it (key and file)."""

    key: str | None
    file: str | None
    id: str
    name: str
    moves: tuple[Move, ...]


class Staleness(_Frozen):
    """Everything that moved since a saved plan was made; empty when it is fresh."""

    experiences: tuple[ExperienceMoves, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.experiences)

    def value_moved(self) -> tuple[str, ...]:
        """Ids of the experiences whose values moved (someone ran change sets on them)."""
        return tuple(
            e.id for e in self.experiences if any(m.kind not in _NOT_VALUES for m in e.moves)
        )

    def with_authors(self, authors: Mapping[str, Sequence[dict[str, str]]]) -> Staleness:
        """The same, each experience also naming the change sets ``authors`` lists for it."""
        return Staleness(
            experiences=tuple(_authored(e, authors.get(e.id, ())) for e in self.experiences)
        )

    def to_document(self) -> dict[str, Any]:
        return {"stale": bool(self), **self.model_dump(mode="json")}


def _authored(moved: ExperienceMoves, change_sets: Sequence[dict[str, str]]) -> ExperienceMoves:
    by = tuple(Move(kind=MoveKind.CHANGED_BY, change_set=dict(c)) for c in change_sets)
    return moved.model_copy(update={"moves": moved.moves + by}) if by else moved


def staleness(plan: Plan, live: MarketplaceState) -> Staleness:
    """Compare what ``plan`` recorded with ``live``, experience by experience."""
    fresh = live.by_id()
    ids = sorted(set(plan.live_experiences) | set(fresh))
    named = _Names(plan)
    found = []
    for experience_id in ids:
        moves = _moves(plan, experience_id, fresh.get(experience_id), live)
        if moves:
            found.append(named.of(experience_id, fresh.get(experience_id), moves))
    return Staleness(experiences=tuple(found))


def _moves(
    plan: Plan, experience_id: str, now: Experience | None, live: MarketplaceState
) -> tuple[Move, ...]:
    if experience_id not in plan.live_experiences:
        return (Move(kind=MoveKind.CREATED),)
    if now is None:
        return (Move(kind=MoveKind.GONE),)
    moves = list(_open_change_sets(now, live.open_change_sets))
    recorded = plan.live.get(experience_id)
    if recorded is not None:
        moves += value_moves(recorded, RecordedExperience.of(now))
    if not moves:
        moves += _revision_moves(plan.revisions, now)
    return tuple(moves)


def value_moves(before: RecordedExperience, after: RecordedExperience) -> list[Move]:
    """The differences between two recorded states of one experience, field by field."""
    difference = DeepDiff(before.comparable(), after.comparable(), view="tree")
    moves: list[Move] = []
    for change, levels in sorted(difference.items()):
        for level in levels:
            moves += _level_moves(change, level.path(output_format="list"), level.t1, level.t2)
    return _merged(moves)


def _level_moves(change: str, path: Sequence[Any], old: Any, new: Any) -> list[Move]:
    top = str(path[0])
    if top in _SET_MOVES:
        added, removed = _SET_MOVES[top]
        if change == "set_item_added":
            return [Move(kind=added, items=(str(new),))]
        return [Move(kind=removed, items=(str(old),))]
    if isinstance(old, dict) or isinstance(new, dict):
        return _dict_moves(top, old or {}, new or {})
    return [_field(".".join(map(str, path)), old, new)]


def _dict_moves(top: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Move]:
    """A whole member (branding, notes) set or removed: one move per value in it."""
    names = sorted(set(old) | set(new))
    return [_field(f"{top}.{n}", old.get(n), new.get(n)) for n in names if old.get(n) != new.get(n)]


def _field(name: str, old: Any, new: Any) -> Move:
    return Move(kind=MoveKind.FIELD, field=name, before=_value(old), after=_value(new))


def _value(value: Any) -> str | bool | None:
    """deepdiff marks a missing dictionary value with its own object: read it as None."""
    return value if isinstance(value, str | bool) else None


def _merged(moves: Sequence[Move]) -> list[Move]:
    """One move per set kind with all its items (sorted); fields as they came."""
    items: dict[MoveKind, list[str]] = {}
    fields: list[Move] = []
    for move in moves:
        if move.kind is MoveKind.FIELD:
            fields.append(move)
        else:
            items.setdefault(move.kind, []).extend(move.items)
    kinds = [k for k in MoveKind if k in items]
    return sorted(fields, key=_field_order) + [
        Move(kind=k, items=tuple(sorted(items[k]))) for k in kinds
    ]


_FIELD_ORDER = {f.name: i for i, f in enumerate(fields(RecordedExperience))}


def _field_order(move: Move) -> tuple[int, str]:
    """Fields in the order an experience lists them (name first), members by name."""
    name = move.field or ""
    return (_FIELD_ORDER.get(name.partition(".")[0], len(_FIELD_ORDER)), name)


def _open_change_sets(experience: Experience, open_sets: Sequence[OpenChangeSet]) -> Iterator[Move]:
    entities = {e.id for e in experience.live.entities()} if experience.live else set()
    for change_set in open_sets:
        if not change_set.ours and entities.intersection(change_set.entity_ids):
            named = {"id": change_set.id, "name": change_set.name, "status": change_set.status}
            yield Move(kind=MoveKind.CHANGE_SET, change_set=named)


def _revision_moves(planned: Mapping[str, str], experience: Experience) -> list[Move]:
    if experience.live is None:
        return []
    moved = [e for e in experience.live.entities() if planned.get(e.id, e.revision) != e.revision]
    known = set(planned)
    appeared = [e for e in experience.live.entities() if e.id not in known]
    return [
        Move(kind=MoveKind.REVISION, field=e.id, before=planned.get(e.id), after=e.revision)
        for e in [*moved, *appeared]
    ]


class _Names:
    """How the plan names a live experience: its key and file, else its live name."""

    def __init__(self, plan: Plan) -> None:
        self.by_id = {e.id: e for e in plan.experiences if e.id is not None}
        self.created = {e.name: e for e in plan.experiences if e.id is None}
        self.recorded = plan.live

    def of(
        self, experience_id: str, now: Experience | None, moves: tuple[Move, ...]
    ) -> ExperienceMoves:
        planned = self._planned(experience_id, now)
        recorded = self.recorded.get(experience_id)
        name = now.name if now else recorded.name if recorded else experience_id
        return ExperienceMoves(
            key=planned.key if planned else None,
            file=planned.file if planned else None,
            id=experience_id,
            name=name,
            moves=moves,
        )

    def _planned(self, experience_id: str, now: Experience | None) -> ExperiencePlan | None:
        """The plan's experience; one created elsewhere is named for the file that would
        have created it (same name)."""
        found = self.by_id.get(experience_id)
        if found is None and now is not None:
            found = self.created.get(now.name)
        return found
