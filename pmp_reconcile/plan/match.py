"""Pair desired experiences with live ones: by pinned ``id:``, else by exact name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pmp_reconcile.errors import MatchError
from pmp_reconcile.model import Experience


@dataclass(frozen=True)
class Pairing:
    """Desired experiences with their live counterpart (None: to create), and live leftovers."""

    pairs: tuple[tuple[Experience, Experience | None], ...]
    unmanaged: tuple[Experience, ...]


def match_experiences(desired: Sequence[Experience], live: Sequence[Experience]) -> Pairing:
    """Pinned ids claim first, so a renamed experience never matches by its new name."""
    live_by_id = {e.id: e for e in live if e.id is not None}
    claimed = {_pinned_match(d, live_by_id).id for d in desired if d.id is not None}
    by_name: dict[str, list[Experience]] = defaultdict(list)
    for candidate in live:
        if candidate.id not in claimed:
            by_name[candidate.name].append(candidate)
    pairs = tuple((d, _find(d, live_by_id, by_name)) for d in desired)
    matched = {live_e.id for _, live_e in pairs if live_e is not None}
    unmanaged = tuple(e for e in live if e.id not in matched)
    return Pairing(pairs=pairs, unmanaged=unmanaged)


def _pinned_match(desired: Experience, live_by_id: dict[str, Experience]) -> Experience:
    found = live_by_id.get(desired.id or "")
    if found is None:
        raise MatchError(
            f"experience '{desired.key}' pins id {desired.id}, which the marketplace does not have",
            location=desired.source,
            hint="remove 'id:' to create it, or check the account and 'caller' in pmp.yaml",
        )
    return found


def _find(
    desired: Experience,
    live_by_id: dict[str, Experience],
    by_name: dict[str, list[Experience]],
) -> Experience | None:
    if desired.id is not None:
        return live_by_id[desired.id]
    candidates = by_name.get(desired.name, [])
    if len(candidates) > 1:
        ids = ", ".join(sorted(c.id or "?" for c in candidates))
        raise MatchError(
            f"experience '{desired.key}': {len(candidates)} live experiences are named "
            f"'{desired.name}' ({ids})",
            location=desired.source,
            hint="add 'id:' with the one this file manages",
        )
    return candidates[0] if candidates else None


def keyed(pairing: Pairing, live: Sequence[Experience]) -> tuple[Experience, ...]:
    """The live experiences named by the file keys that manage them (None for the rest)."""
    keys = {pair[1].id: pair[0].key for pair in pairing.pairs if pair[1] is not None}
    return tuple(replace(e, key=keys.get(e.id)) for e in live)
