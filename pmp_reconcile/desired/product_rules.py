"""Rules about products: aliases in products.yaml, and each experience's allow/deny lists.

References are resolved to ids first (an alias and its id are the same product), so the
"twice" and "allowed and denied" rules compare what AWS would see.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import repeat

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.names import product_files
from pmp_reconcile.desired.places import ListPlaces
from pmp_reconcile.desired.product_findings import odd_id, unknown_product
from pmp_reconcile.desired.products import (
    SHAPES_TEXT,
    all_canonical_ids,
    has_documented_shape,
    is_product_id,
    only_strings,
    resolve,
)
from pmp_reconcile.desired.sets import SetBook, SetUse, empty_set, unknown_set
from pmp_reconcile.desired.spec import (
    ExperienceFile,
    ProductsFile,
    ProductWithNotes,
    SetReference,
)
from pmp_reconcile.desired.tree import Loaded, Tree
from pmp_reconcile.errors import Finding, Location, Severity

EFFECTS = ("allow", "deny")


@dataclass
class ResolvedProducts:
    """An experience's products as ids, with notes and where each was written."""

    allowed: Mapping[str, Location] = field(default_factory=dict)
    denied: Mapping[str, Location] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    #: ``(effect, product)`` → the set that brought it (products written in the list: none).
    via: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass(frozen=True)
class AliasBook:
    """The aliases of products.yaml, and which references cannot be judged unknown.

    When products.yaml (or one of its aliases) failed its own checks, a reference to it is
    not reported again as unknown: the products.yaml finding already says what to fix.
    """

    ids: dict[str, str]
    doubtful: frozenset[str] = frozenset()
    unreadable: bool = False

    def can_judge(self, reference: str) -> bool:
        return not self.unreadable and reference not in self.doubtful


def alias_book(tree: Tree) -> AliasBook:
    """The aliases of products.yaml and of the files it includes (the first definition wins:
    a second is a D049 finding)."""
    ids: dict[str, str] = {}
    doubtful: set[str] = set()
    unreadable = tree.products_unreadable or tree.includes_unreadable
    for loaded in product_files(tree):
        for alias, product in loaded.model.products.items():
            ids.setdefault(alias, product)
        doubtful |= {str(p[1]) for p in loaded.dropped if len(p) == 2 and p[0] == "products"}
        unreadable = unreadable or ("products",) in loaded.dropped
    return AliasBook(ids, frozenset(doubtful), unreadable)


def check_products_files(files: list[Loaded[ProductsFile]]) -> Iterator[Finding]:
    """Every alias names a product id, and no id has two aliases (D029, D036, D043)."""
    owner: dict[str, str] = {}
    for loaded in files:
        yield from _check_aliases(loaded, owner)


def _check_aliases(loaded: Loaded[ProductsFile], owner: dict[str, str]) -> Iterator[Finding]:
    for alias, product in loaded.model.products.items():
        where = loaded.at("products", alias)
        if not is_product_id(product):
            yield Finding(
                codes.BAD_PRODUCT_ID,
                f"'{product}' (alias '{alias}') is not a product id",
                where,
                hint=f"a product id is 1-50 characters without spaces, usually {SHAPES_TEXT}",
            )
            continue
        if not has_documented_shape(product):
            yield odd_id(product, {}, where)
        if product in owner:
            yield Finding(
                codes.PRODUCT_UNDER_TWO_ALIASES,
                f"{product} already has the alias '{owner[product]}'",
                where,
                hint="keep one alias per product",
            )
        else:
            owner[product] = alias


def resolve_products(
    loaded: Loaded[ExperienceFile],
    aliases: AliasBook,
    findings: list[Finding],
    sets: SetBook | None = None,
) -> ResolvedProducts:
    """The experience's products as ids; unknown, doubled and conflicting ones as findings.

    ``- set:`` entries are put aside and expanded after the lists are read (:mod:`sets`).
    """
    result = ResolvedProducts()
    uses: list[SetUse] = []
    lists: dict[str, dict[str, Location]] = {}
    for effect, name in zip(EFFECTS, ("allowed", "denied"), strict=True):
        entries = getattr(loaded.model.products, effect)
        plain = _plain_ids(entries, aliases.ids)
        if plain is not None:
            setattr(result, name, _plain_places(loaded, effect, plain))
            continue
        lists[effect], more = _one_by_one(loaded, effect, aliases, findings, result.notes)
        setattr(result, name, lists[effect])
        uses += more
    if uses:
        findings += _expand(uses, sets or SetBook(), lists, result)
    findings += _allowed_and_denied(result)
    return result


def _plain_places(
    loaded: Loaded[ExperienceFile], effect: str, ids: list[str]
) -> Mapping[str, Location]:
    """Where each of a list of distinct plain ids is written (kept compact when it can be)."""
    marks = loaded.parsed.items.get(("products", effect))
    if marks is not None and len(marks[0]) == len(ids):
        return ListPlaces(loaded.file, ids, *marks)
    return dict(zip(ids, _places(loaded, effect, len(ids)), strict=True))


def _one_by_one(
    loaded: Loaded[ExperienceFile],
    effect: str,
    aliases: AliasBook,
    findings: list[Finding],
    notes: dict[str, str],
) -> tuple[dict[str, Location], list[SetUse]]:
    """The products of one list entry by entry, with a finding for each that is wrong;
    ``- set:`` entries are put aside for :func:`_expand`."""
    target: dict[str, Location] = {}
    written: dict[str, str] = {}
    uses: list[SetUse] = []
    entries = getattr(loaded.model.products, effect)
    for entry, where in zip(entries, _places(loaded, effect, len(entries)), strict=True):
        if isinstance(entry, SetReference):
            uses.append(SetUse(effect, entry.set, where))
            continue
        reference = entry.id if isinstance(entry, ProductWithNotes) else entry
        product = resolve(reference, aliases.ids)
        if product is not None and reference not in aliases.ids:
            findings += _odd_reference(product, aliases, where)
        if product is None:
            findings += _unknown(reference, aliases, where)
        elif product in target:
            findings.append(_twice(product, reference, written[product], effect, target, where))
        else:
            target[product], written[product] = where, reference
        if product is not None and isinstance(entry, ProductWithNotes) and entry.notes:
            notes.setdefault(product, entry.notes)
    return target, uses


def _expand(
    uses: list[SetUse],
    sets: SetBook,
    lists: dict[str, dict[str, Location]],
    result: ResolvedProducts,
) -> list[Finding]:
    """Each used set's products into its list, where the list does not name them itself."""
    found: list[Finding] = []
    for use in uses:
        members = sets.members.get(use.name)
        if members is None:
            found += [unknown_set(use.name, sets, use.where)] if sets.can_judge(use.name) else []
            continue
        if not members and use.effect == EFFECTS[0] and use.name not in sets.broken:
            found.append(empty_set(use))
        target = lists[use.effect]
        for product, member in members.items():
            if product not in target:
                target[product] = use.where
                result.via[(use.effect, product)] = member.set
                if member.notes:
                    result.notes.setdefault(product, member.notes)
    return found


def _plain_ids(
    entries: list[str | ProductWithNotes | SetReference], aliases: dict[str, str]
) -> list[str] | None:
    """The ids of a list of references that are all plain, canonical ids of documented shapes
    (or aliases) and distinct, else None.

    The common case, a long list of ids, checked with a few passes over the whole list; any
    doubt (a note, an unknown reference, a product twice) goes the way that explains it.
    """
    if not only_strings(entries):
        return None
    references: list[str] = entries  # type: ignore[assignment]
    ids = [resolve(r, aliases) or r for r in references] if aliases else references
    unaliased = [r for r in references if r not in aliases] if aliases else references
    if not all_canonical_ids(unaliased) or len(set(ids)) != len(ids):
        return None
    return ids


def _places(loaded: Loaded[ExperienceFile], effect: str, count: int) -> list[Location]:
    """Where each entry of products.<effect> is written: what ``loaded.at`` says of each, read
    from the list's arrays of lines and columns at once (a list can hold thousands)."""
    marks = loaded.parsed.items.get(("products", effect))
    if marks is None or len(marks[0]) != count:
        return [loaded.at("products", effect, index) for index in range(count)]
    return list(map(Location, repeat(loaded.file), *marks))


def _unknown(reference: str, aliases: AliasBook, where: Location) -> list[Finding]:
    if not aliases.can_judge(reference):
        return []
    return [unknown_product(reference, aliases.ids, where)]


def _odd_reference(product: str, aliases: AliasBook, where: Location) -> list[Finding]:
    """Not reported for documented shapes, nor while products.yaml (or the alias the id may
    be meant as) is in doubt."""
    if has_documented_shape(product) or not aliases.can_judge(product):
        return []
    return [odd_id(product, aliases.ids, where)]


def _twice(
    product: str,
    reference: str,
    first: str,
    effect: str,
    target: dict[str, Location],
    where: Location,
) -> Finding:
    """The same text twice is an error; an alias beside its own id only a warning."""
    line = target[product].line
    if reference == first:
        named = product if reference == product else f"'{reference}' ({product})"
        return Finding(
            codes.PRODUCT_TWICE,
            f"{named} is listed twice in products.{effect} (first at line {line})",
            where,
            hint="remove one (an alias and its id are the same product)",
        )
    return Finding(
        codes.ALIAS_AND_ID,
        f"'{reference}' and '{first}' (line {line}) are the same product, {product}",
        where,
        hint="list it once: the alias or the id",
        severity=Severity.WARNING,
    )


def _allowed_and_denied(result: ResolvedProducts) -> Iterator[Finding]:
    """One finding at each of the two entries, each naming the other's line (and the set
    that brought each side, when a set did: D048)."""
    for product in result.denied:
        if product not in result.allowed:
            continue
        allowed_at, denied_at = result.allowed[product], result.denied[product]
        by = [result.via.get((effect, product)) for effect in EFFECTS]
        if any(by):
            yield from _set_conflict(product, (allowed_at, denied_at), by)
            continue
        for here, other, effect in (
            (allowed_at, denied_at, "denied"),
            (denied_at, allowed_at, "allowed"),
        ):
            yield Finding(
                codes.ALLOWED_AND_DENIED,
                f"{product} is both allowed and denied (also {effect} at line {other.line})",
                here,
                hint="keep it in one of the two lists",
            )


def _set_conflict(
    product: str, places: tuple[Location, Location], by: list[str | None]
) -> Iterator[Finding]:
    sides = [
        f"{verb} {f'via set {name!r}' if name else 'by name'} (line {where.line})"
        for verb, name, where in zip(("allowed", "denied"), by, places, strict=True)
    ]
    for where in places:
        yield Finding(
            codes.SET_ALLOWED_AND_DENIED,
            f"{product} is {sides[0]} and {sides[1]}",
            where,
            hint="take it out of one set, or stop using one of the sets in this experience",
        )
