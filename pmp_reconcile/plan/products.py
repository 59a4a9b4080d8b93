"""Product facts in a plan: which ids to look up, the checks, and the names a plan shows.

Pure like the rest of the planner: the facts come in as data (:class:`ProductFacts`, read
through the Discovery API by the caller), and nothing here asks for more.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pmp_reconcile.model import Experience, MarketplaceState, ProductFacts
from pmp_reconcile.plan import codes
from pmp_reconcile.plan.match import match_experiences
from pmp_reconcile.plan.values import ActionKind, ExperiencePlan, PlanWarning, ProductEntry

PRODUCT_ACTIONS = (ActionKind.ALLOW_PRODUCTS, ActionKind.DENY_PRODUCTS)
PRIVATE_HINT = (
    "a private product may be visible only through its private offer; otherwise check the id"
)


def ids_to_look_up(desired: MarketplaceState, live: MarketplaceState) -> frozenset[str]:
    """Every id the tree lists (all are checked), and the live ones the plan will deny."""
    listed = {p for e in desired.experiences for p in e.allowed | e.denied}
    pairing = match_experiences(desired.experiences, live.experiences)
    leaving = {
        p
        for mine, theirs in pairing.pairs
        if theirs is not None
        for p in theirs.allowed - mine.allowed
    }
    return frozenset(listed | leaving)


def product_warnings(desired: MarketplaceState, facts: ProductFacts) -> list[PlanWarning]:
    """W400 once when Discovery could not be asked; else W401 and W402 where ids are written."""
    if facts.unavailable is not None:
        return [PlanWarning.of(codes.PRODUCTS_UNCHECKED, facts.unavailable)]
    return [w for e in desired.experiences for w in _checks(e, facts, desired.alias_of())]


def _checks(
    experience: Experience, facts: ProductFacts, alias_of: dict[str, str]
) -> Iterator[PlanWarning]:
    for product in sorted(experience.allowed | experience.denied):
        unknown = product in facts.unknown
        closed = product in experience.allowed and _closed(product, facts)
        if not (unknown or closed):  # most products: no warning, so no place to write out
            continue
        where = experience.product_sources.get(product)
        location = str(where) if where is not None else None
        named = _named(product, alias_of, facts, experience.product_sets.get(product))
        if unknown:
            message = f"{named} is not known to the Discovery API ({PRIVATE_HINT})"
            yield _at(codes.UNKNOWN_PRODUCT, message, experience.key, location)
        if closed:
            message = f"{named} is allowed but closed to new subscriptions by its seller"
            yield _at(codes.NOT_SUBSCRIBABLE, message, experience.key, location)


def _named(product: str, alias_of: dict[str, str], facts: ProductFacts, via: str | None) -> str:
    said = [text for text in (alias_of.get(product), via and f"via {via}") if text]
    name = facts.name_of(product)
    return (
        f"product {product}"
        + (f" ({', '.join(said)})" if said else "")
        + (f" '{name}'" if name else "")
    )


def _at(code: codes.PlanCode, message: str, key: str | None, location: str | None) -> PlanWarning:
    return PlanWarning.of(code, message, key, location=location)


def products_shown(
    desired: MarketplaceState, experiences: Sequence[ExperiencePlan], facts: ProductFacts
) -> dict[str, ProductEntry]:
    """Facts of the ids the plan shows: those it allows or denies, and those it flags."""
    shown = {
        item
        for experience in experiences
        for action in experience.actions
        if action.kind in PRODUCT_ACTIONS
        for item in action.items
    }
    shown |= {p for e in desired.experiences for p in e.allowed if _closed(p, facts)}
    return {
        product: ProductEntry(name=info.name, publisher=info.publisher, available=info.available)
        for product in sorted(shown)
        if (info := facts.products.get(product)) is not None
    }


def _closed(product: str, facts: ProductFacts) -> bool:
    info = facts.products.get(product)
    return info is not None and not info.available


def via_shown(
    desired: MarketplaceState, experiences: Sequence[ExperiencePlan]
) -> dict[str, dict[str, str]]:
    """For each experience, the set that brought each product it allows or denies."""
    sets = {e.key: e.product_sets for e in desired.experiences if e.product_sets}
    via: dict[str, dict[str, str]] = {}
    for experience in experiences:
        brought = sets.get(experience.key) if experience.key else None
        if not brought:
            continue
        shown = {
            item: brought[item]
            for action in experience.actions
            if action.kind in PRODUCT_ACTIONS
            for item in action.items
            if item in brought
        }
        if shown and experience.key:
            via[experience.key] = dict(sorted(shown.items()))
    return via
