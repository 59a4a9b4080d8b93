"""Rules across experience files, each with a code (see :mod:`codes`).

A clash between two files is reported at both places, each naming the other, so either
file's diff shows it; a repeat inside one list is reported at the repeat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.spec import ExperienceFile
from pmp_reconcile.desired.tree import Loaded, Tree
from pmp_reconcile.errors import Finding, Location, Severity

Seen = dict[str, list[tuple[str, Location]]]


def check_across(tree: Tree) -> Iterator[Finding]:
    """Names, pinned ids and principals unique over all experiences; per-file state rules."""
    names: Seen = defaultdict(list)
    ids: Seen = defaultdict(list)
    principals: Seen = defaultdict(list)
    for key, loaded in tree.experiences.items():
        model = loaded.model
        names[model.name].append((key, loaded.at("name")))
        if model.id is not None:
            ids[model.id].append((key, loaded.at("id")))
        if model.archived and model.status == "enabled":
            yield _archived_enabled(loaded.at("archived"))
        for index, principal in enumerate(model.principals):
            where = loaded.at("principals", index)
            yield from _principal(principal, principals[principal], key, where)
        yield from _foreign_organization(tree, loaded)
    yield from _clashes(
        names,
        codes.NAME_TWICE,
        "the name '{}' is also used by",
        "each experience needs its own name",
    )
    yield from _clashes(
        ids,
        codes.ID_TWICE,
        "the id {} is also pinned by",
        "a live experience is pinned by one file",
    )
    hint = "a principal belongs to at most one experience"
    yield from _clashes(principals, codes.PRINCIPAL_TWICE, "{} is also a principal of", hint)


def _archived_enabled(where: Location) -> Finding:
    return Finding(
        codes.ARCHIVED_ENABLED,
        "an experience cannot be archived while enabled",
        where,
        hint="set status: disabled to archive it",
    )


def _principal(
    principal: str, seen: list[tuple[str, Location]], key: str, where: Location
) -> Iterator[Finding]:
    """A repeat in the same experience's list is reported here; clashes across files later."""
    repeat = next((at for other, at in seen if other == key), None)
    if repeat is None:
        seen.append((key, where))
        return
    yield Finding(
        codes.PRINCIPAL_TWICE,
        f"{principal} is listed twice in principals (first at line {repeat.line})",
        where,
        hint="remove one",
    )


def _clashes(seen: Seen, code: str, what: str, hint: str) -> Iterator[Finding]:
    for value, places in seen.items():
        if len({key for key, _ in places}) < 2:
            continue
        for key, where in places:
            yield Finding(code, f"{what.format(value)} {_others(places, key)}", where, hint=hint)


def _others(places: list[tuple[str, Location]], key: str) -> str:
    """The first other file and how many more: each file's finding stays one short line, so a
    value shared by thousands of files does not print every pair."""
    others = [(k, at) for k, at in places if k != key]
    first, at = others[0]
    more = len({k for k, _ in others}) - 1
    return f"'{first}' ({at})" + (f" and {more} more" if more else "")


def _foreign_organization(tree: Tree, loaded: Loaded[ExperienceFile]) -> Iterator[Finding]:
    organization = tree.settings.model.organization_id if tree.settings else None
    if not organization:
        return
    for index, principal in enumerate(loaded.model.principals):
        if principal.startswith("o-") and principal != organization:
            yield Finding(
                codes.FOREIGN_ORGANIZATION,
                f"{principal} is not the organization pmp.yaml names ({organization})",
                loaded.at("principals", index),
            )


def check_protected(tree: Tree) -> Iterator[Finding]:
    """Protected keys that no experience file has: likely a typo (a warning)."""
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
