"""Principals that move between experiences: who must let them go before another takes them.

A principal joining experience B is first disassociated from the experience A that holds it
(in an earlier wave). If A's change set fails, the principal is still A's and B's association
would fail too (the API refuses a principal already governed): B's later work is held back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pmp_reconcile.plan.values import ActionKind, Plan


@dataclass(frozen=True)
class Moves:
    """Per experience (key, or id without a file): principals it takes and it releases."""

    taken: Mapping[str, frozenset[str]]
    released: Mapping[str, frozenset[str]]

    @classmethod
    def of(cls, plan: Plan) -> Moves:
        return cls(
            taken=_items(plan, ActionKind.ADD_PRINCIPALS),
            released=_items(plan, ActionKind.REMOVE_PRINCIPALS),
        )

    def held_back_by(self, experience: str, failed: Iterable[str]) -> str | None:
        """Why ``experience`` must wait: a failed experience still holds what it takes."""
        wanted = self.taken.get(experience, frozenset())
        for other in sorted(failed):
            stuck = wanted & self.released.get(other, frozenset())
            if other != experience and stuck:
                listed = ", ".join(sorted(stuck))
                return f"skipped: '{other}' failed to release principal(s) it takes: {listed}"
        return None


def _items(plan: Plan, kind: ActionKind) -> dict[str, frozenset[str]]:
    return {
        e.key or e.id or "": frozenset(i for a in e.actions if a.kind is kind for i in a.items)
        for e in plan.experiences
    }
