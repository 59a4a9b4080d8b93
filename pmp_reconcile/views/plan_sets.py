"""How a plan shows sets of products: which set brought a product, and changes per set.

One edit to a set reaches every experience that uses it; the per-set lines let a reviewer
see that as one change ("baseline: +1 product in 30 experiences") instead of counting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pmp_reconcile.plan.document import PlanDocument
from pmp_reconcile.plan.values import ActionKind

NO_SETS: Mapping[str, str] = MappingProxyType({})
_PRODUCT_KINDS = (ActionKind.ALLOW_PRODUCTS, ActionKind.DENY_PRODUCTS)


def via_text(name: str | None) -> str:
    return f"via {name}" if name else ""


@dataclass
class _Reach:
    products: set[str] = field(default_factory=set)
    experiences: set[str] = field(default_factory=set)


def set_changes(document: PlanDocument) -> dict[tuple[str, str], _Reach]:
    """(set, sign) → the products it brings that change, and the experiences they change in."""
    via = document.get("via", {})
    reach: dict[tuple[str, str], _Reach] = {}
    for experience in document["experiences"]:
        brought = via.get(experience["key"] or "", {})
        for action in experience["actions"] if brought else ():
            kind = ActionKind.of(action["kind"])
            for item in action["items"] if kind in _PRODUCT_KINDS else ():
                if item in brought:
                    one = reach.setdefault((brought[item], kind.sign.value), _Reach())
                    one.products.add(item)
                    one.experiences.add(experience["key"] or "")
    return reach


def set_lines(document: PlanDocument) -> list[str]:
    """One line per set whose products change: ``baseline: +1 product in 30 experiences``."""
    return [f"  {name}: {reach}" for name, reach in _phrases(document)]


def set_bullets(document: PlanDocument) -> list[str]:
    """The same lines as a markdown list, set names in code spans."""
    bullets = [f"- `{name}`: {reach}" for name, reach in _phrases(document)]
    return ["", *bullets] if bullets else []


def _phrases(document: PlanDocument) -> list[tuple[str, str]]:
    return [
        (
            name,
            f"{sign}{_count(len(r.products), 'product')} in "
            f"{_count(len(r.experiences), 'experience')}",
        )
        for (name, sign), r in sorted(set_changes(document).items())
    ]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
