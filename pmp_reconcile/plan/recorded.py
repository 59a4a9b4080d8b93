"""The live values a plan was made from, recorded in the plan for every live experience read.

A revision says only *that* an entity moved; these values let ``apply --plan`` say *what*
moved (and ``show`` put the values beside each change). They are kept compact: ids as sorted
lists (sorted when written, not when planned), notes only for the products that have one,
branding only when the experience has it, so a plan of 100 experiences with 300 products each
stays near one megabyte.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from pmp_reconcile.model import Branding, Experience, MarketplaceState
from pmp_reconcile.plan.encoding import PlanValue

_EMPTY: tuple[Any, ...] = (None, [], (), {}, False)


@dataclass(frozen=True, kw_only=True)
class RecordedExperience(PlanValue):
    """One live experience as the plan read it (its policy, branding and audiences folded in).

    ``software_requests`` is None when the experience had no procurement policy.
    """

    name: str
    description: str | None = None
    status: str
    archived: bool = False
    software_requests: str | None = None
    principals: frozenset[str] = frozenset()
    allowed: frozenset[str] = frozenset()
    denied: frozenset[str] = frozenset()
    notes: dict[str, str] = field(default_factory=dict)
    branding: Branding | None = None

    @classmethod
    def of(cls, experience: Experience) -> RecordedExperience:
        """Built without sorting: the ids are sorted only when written (a plan of 1,000
        experiences × 2,000 products records two million ids; the planner must not pay for
        them)."""
        requests = experience.software_requests
        return cls(
            name=experience.name,
            description=experience.description,
            status=experience.status.value,
            archived=experience.archived,
            software_requests=requests.value if requests is not None else None,
            principals=experience.principals,
            allowed=experience.allowed,
            denied=experience.denied,
            notes=dict(sorted(experience.notes.items())),
            branding=experience.branding,
        )

    def to_json(self) -> dict[str, Any]:
        """Ids sorted; empty members are left out (they read back as their defaults), and so
        are the unset members of branding."""
        body: dict[str, Any] = {}
        for name in _MEMBERS:
            value = getattr(self, name)
            if name in _IDS:
                value = sorted(value)
            if name == "branding" and value is not None:
                body[name] = {k: v for k, v in asdict(value).items() if v is not None}
            elif value not in _EMPTY:
                body[name] = value
        return body

    def comparable(self) -> dict[str, Any]:
        """The values as a nested document where order means nothing (ids as sets)."""
        body: dict[str, Any] = {name: getattr(self, name) for name in _MEMBERS}
        body["branding"] = asdict(self.branding) if self.branding else None
        return body


#: The members in the order they are written (and a stale plan lists them).
_MEMBERS: tuple[str, ...] = tuple(f.name for f in fields(RecordedExperience))
_IDS = frozenset({"principals", "allowed", "denied"})


def record(live: MarketplaceState) -> dict[str, RecordedExperience]:
    """``experience id → values`` of every live experience (what staleness compares)."""
    return {e.id: RecordedExperience.of(e) for e in live.experiences if e.id is not None}
