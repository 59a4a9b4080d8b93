"""Rules across files, and the domain value the tree describes.

Each rule has a code (see :mod:`codes`); when a thing appears twice, the finding sits at the
second place and names the first, so a reader can jump to both.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.products import is_product_id, resolve, unknown_hint
from pmp_reconcile.desired.schema import ExperienceFile, ProductsFile, ProductWithNotes
from pmp_reconcile.desired.tree import Loaded, Tree
from pmp_reconcile.errors import Finding, Location, Severity


@dataclass
class ResolvedProducts:
    """An experience's products as ids, with notes and where each was written."""

    allowed: dict[str, Location] = field(default_factory=dict)
    denied: dict[str, Location] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def aliases_of(tree: Tree) -> dict[str, str]:
    return dict(tree.products.model.products) if tree.products is not None else {}


def check_products_file(loaded: Loaded[ProductsFile]) -> Iterator[Finding]:
    owner: dict[str, str] = {}
    for alias, product in loaded.model.products.items():
        where = loaded.at("products", alias)
        if not is_product_id(product):
            yield Finding(
                codes.BAD_PRODUCT_ID,
                f"'{product}' (alias '{alias}') is not a product id",
                where,
                hint="product ids are UUIDs, prod-… or prodview-…",
            )
        elif product in owner:
            yield Finding(
                codes.PRODUCT_UNDER_TWO_ALIASES,
                f"{product} already has the alias '{owner[product]}'",
                where,
                hint="keep one alias per product",
            )
        else:
            owner[product] = alias


def resolve_products(
    loaded: Loaded[ExperienceFile], aliases: Mapping[str, str], findings: list[Finding]
) -> ResolvedProducts:
    result = ResolvedProducts()
    for effect, target in (("allow", result.allowed), ("deny", result.denied)):
        for index, entry in enumerate(getattr(loaded.model.products, effect)):
            reference = entry.id if isinstance(entry, ProductWithNotes) else entry
            where = loaded.at("products", effect, index)
            product = resolve(reference, aliases)
            if product is None:
                findings.append(
                    Finding(
                        codes.UNKNOWN_PRODUCT,
                        f"'{reference}' is neither a product id nor an alias in products.yaml",
                        where,
                        hint=unknown_hint(reference, aliases),
                    )
                )
            elif product in target:
                findings.append(_twice(product, reference, effect, target[product], where))
            else:
                target[product] = where
                if isinstance(entry, ProductWithNotes):
                    result.notes[product] = entry.notes
    for product, where in result.denied.items():
        if product in result.allowed:
            findings.append(
                Finding(
                    codes.ALLOWED_AND_DENIED,
                    f"{product} is both allowed (line {result.allowed[product].line}) and denied",
                    where,
                    hint="keep it in one of the two lists",
                )
            )
    return result


def _twice(product: str, reference: str, effect: str, first: Location, where: Location) -> Finding:
    named = product if reference == product else f"'{reference}' ({product})"
    return Finding(
        codes.PRODUCT_TWICE,
        f"{named} is listed twice in products.{effect} (first at line {first.line})",
        where,
        hint="remove one (an alias and its id are the same product)",
    )


def check_across(tree: Tree) -> Iterator[Finding]:
    """Uniqueness of names, ids and principals over all experiences; state rules per file."""
    names: dict[str, Location] = {}
    ids: dict[str, Location] = {}
    principals: dict[str, tuple[str, Location]] = {}
    organization = tree.settings.model.organization_id if tree.settings else None
    for key, loaded in tree.experiences.items():
        model = loaded.model
        yield from _first_wins(names, model.name, loaded.at("name"), codes.NAME_TWICE, "name")
        if model.id is not None:
            yield from _first_wins(ids, model.id, loaded.at("id"), codes.ID_TWICE, "id")
        if model.archived and model.status == "enabled":
            yield Finding(
                codes.ARCHIVED_ENABLED,
                "an experience cannot be archived while enabled",
                loaded.at("archived"),
                hint="set status: disabled to archive it",
            )
        for index, principal in enumerate(model.principals):
            where = loaded.at("principals", index)
            if principal in principals:
                other_key, other = principals[principal]
                yield Finding(
                    codes.PRINCIPAL_TWICE,
                    f"{principal} is already a principal of '{other_key}' ({other})",
                    where,
                    hint="a principal belongs to at most one experience",
                )
            else:
                principals[principal] = (key, where)
            if organization and principal.startswith("o-") and principal != organization:
                yield Finding(
                    codes.FOREIGN_ORGANIZATION,
                    f"{principal} is not the organization pmp.yaml names ({organization})",
                    where,
                )


def _first_wins(
    seen: dict[str, Location], value: str, where: Location, code: str, what: str
) -> Iterator[Finding]:
    if value in seen:
        yield Finding(
            code,
            f"the {what} '{value}' is already used in {seen[value]}",
            where,
            hint=f"each experience needs its own {what}",
        )
    else:
        seen[value] = where


def check_protected(tree: Tree) -> Iterator[Finding]:
    if tree.settings is None:
        return
    for index, key in enumerate(tree.settings.model.guardrails.protected):
        if key not in tree.keys:
            yield Finding(
                codes.UNKNOWN_PROTECTED,
                f"guardrails.protected names '{key}', which no experience file has",
                tree.settings.at("guardrails", "protected", index),
                hint="use the key of an experience file (its name without .yaml)",
                severity=Severity.WARNING,
            )
