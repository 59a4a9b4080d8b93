"""The live values a plan was made from, recorded in the plan for every live experience read.

A revision says only *that* an entity moved; these values let ``apply --plan`` say *what*
moved (and ``show`` put the values beside each change). They are kept compact: ids as sorted
lists (sorted when written, not when planned), notes only for the products that have one,
branding only when the experience has it, so a plan of 100 experiences with 300 products each
stays near one megabyte.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    SerializerFunctionWrapHandler,
    field_serializer,
    model_serializer,
)

from pmp_reconcile.model import Branding, Experience, MarketplaceState

_EMPTY: tuple[Any, ...] = (None, [], (), {}, False)


class RecordedExperience(BaseModel):
    """One live experience as the plan read it (its policy, branding and audiences folded in).

    ``software_requests`` is None when the experience had no procurement policy.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str | None = None
    status: str
    archived: bool = False
    software_requests: str | None = None
    principals: frozenset[str] = frozenset()
    allowed: frozenset[str] = frozenset()
    denied: frozenset[str] = frozenset()
    notes: dict[str, str] = {}
    branding: Branding | None = None

    @classmethod
    def of(cls, experience: Experience) -> RecordedExperience:
        """Built without validation or sorting: every value comes from a validated
        experience, and the ids are sorted only when written (a plan of 1,000 experiences ×
        2,000 products records two million ids; the planner must not pay for them)."""
        requests = experience.software_requests
        return cls.model_construct(
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

    @field_serializer("principals", "allowed", "denied")
    def _sorted(self, ids: frozenset[str]) -> list[str]:
        return sorted(ids)

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Empty members are left out (they read back as their defaults)."""
        body: dict[str, Any] = handler(self)
        kept = {k: v for k, v in body.items() if k == "branding" or v not in _EMPTY}
        if kept["branding"] is None:
            del kept["branding"]
        else:
            kept["branding"] = {k: v for k, v in kept["branding"].items() if v is not None}
        return kept

    def comparable(self) -> dict[str, Any]:
        """The values as a nested document where order means nothing (ids as sets)."""
        body: dict[str, Any] = {name: getattr(self, name) for name in type(self).model_fields}
        body["branding"] = asdict(self.branding) if self.branding else None
        return body


def record(live: MarketplaceState) -> dict[str, RecordedExperience]:
    """``experience id → values`` of every live experience (what staleness compares)."""
    return {e.id: RecordedExperience.of(e) for e in live.experiences if e.id is not None}
