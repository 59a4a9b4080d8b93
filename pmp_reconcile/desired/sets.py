"""Sets of products: named lists in the products files that experiences allow or deny at once.

Expansion is a step of its own after the lists are read: each set is expanded once (its
aliases resolved, the sets inside it followed) and every experience that names it takes the
result, so thirty experiences sharing a baseline cost one expansion. A tree without sets
never gets here. Each product remembers the set that lists it itself (the innermost), which
is the set an edit would change, for plans to say where a product came from.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.product_findings import odd_id, unknown_product
from pmp_reconcile.desired.products import has_documented_shape, resolve
from pmp_reconcile.desired.spec import ProductsFile, ProductWithNotes, SetReference
from pmp_reconcile.desired.tree import Loaded, Tree
from pmp_reconcile.errors import Finding, Location, Severity

_DEFINE_SET = "define it under sets: in products.yaml"
#: Sets inside sets deeper than this are refused (the expansion recurses).
MAX_DEPTH = 50
_Entry = str | ProductWithNotes | SetReference


@dataclass(frozen=True)
class Member:
    """A product a set brings: the set that lists it itself, and its note if one is given."""

    set: str
    notes: str | None = None


@dataclass
class SetBook:
    """Every set by name, expanded; ``doubtful`` names cannot be judged unknown."""

    places: dict[str, Location] = field(default_factory=dict)
    members: dict[str, dict[str, Member]] = field(default_factory=dict)
    doubtful: frozenset[str] = frozenset()
    unreadable: bool = False
    broken: set[str] = field(default_factory=set)

    def can_judge(self, name: str) -> bool:
        return not self.unreadable and name not in self.doubtful


@dataclass(frozen=True)
class SetUse:
    """One ``- set: NAME`` entry of an experience list."""

    effect: str
    name: str
    where: Location


def set_book(
    tree: Tree, files: list[Loaded[ProductsFile]], aliases: dict[str, str], judge: bool
) -> tuple[SetBook, list[Finding]]:
    """The expanded sets of all products files, and what is wrong with them (D023, D045,
    D046). ``judge`` is False while aliases are in doubt (unknown products not reported)."""
    written: dict[str, Loaded[ProductsFile]] = {}
    doubtful: set[str] = set()
    for loaded in files:
        for name in loaded.model.sets:
            written.setdefault(name, loaded)
        doubtful |= {str(p[1]) for p in loaded.dropped if len(p) == 2 and p[0] == "sets"}
    unreadable = tree.products_unreadable or tree.includes_unreadable
    unreadable = unreadable or any(("sets",) in f.dropped for f in files)
    book = SetBook(
        places={name: loaded.key_at("sets", name) for name, loaded in written.items()},
        doubtful=frozenset(doubtful),
        unreadable=unreadable,
    )
    expansion = _Expansion(book, written, aliases, judge)
    for name in written:
        expansion.expand(name, ())
    return book, expansion.findings


@dataclass
class _Expansion:
    book: SetBook
    written: dict[str, Loaded[ProductsFile]]
    aliases: dict[str, str]
    judge: bool
    findings: list[Finding] = field(default_factory=list)
    cycles: set[frozenset[str]] = field(default_factory=set)
    deep: bool = False

    def expand(self, name: str, path: tuple[str, ...]) -> dict[str, Member]:
        """The products of set ``name``; ``path`` holds the sets being expanded around it."""
        if name in path:
            self._cycle(path[path.index(name) :])
            return {}
        if len(path) >= MAX_DEPTH:
            self._too_deep(path)
            return {}
        done = self.book.members.get(name)
        if done is not None:
            return done
        loaded = self.written[name]
        members: dict[str, Member] = {}
        before = len(self.findings)
        for index, entry in enumerate(loaded.model.sets[name]):
            where = loaded.at("sets", name, index)
            for product, member in self._entry(name, entry, where, (*path, name)):
                members.setdefault(product, member)
        if len(self.findings) > before:  # not judged empty: what is wrong is reported already
            self.book.broken.add(name)
        self.book.members[name] = members
        return members

    def _entry(
        self,
        name: str,
        entry: _Entry,
        where: Location,
        path: tuple[str, ...],
    ) -> Iterator[tuple[str, Member]]:
        if isinstance(entry, SetReference):
            if entry.set in self.written:
                yield from self.expand(entry.set, path).items()
            elif self.book.can_judge(entry.set):
                self.findings.append(unknown_set(entry.set, self.book, where))
            return
        reference = entry.id if isinstance(entry, ProductWithNotes) else entry
        product = resolve(reference, self.aliases)
        if product is None:
            if self.judge:
                self.findings.append(unknown_product(reference, self.aliases, where))
            return
        if reference not in self.aliases and not has_documented_shape(product) and self.judge:
            self.findings.append(odd_id(product, self.aliases, where))
        notes = entry.notes if isinstance(entry, ProductWithNotes) else None
        yield product, Member(name, notes)

    def _too_deep(self, path: tuple[str, ...]) -> None:
        """Reported once, at the outermost set first met (a guard, not a rule anyone meets)."""
        if self.deep:
            return
        self.deep = True
        self.findings.append(
            Finding(
                codes.SET_CYCLE,
                f"sets nested more than {MAX_DEPTH} deep, from '{path[0]}'",
                self.book.places[path[0]],
                hint="list the products of the innermost sets in an outer one",
            )
        )

    def _cycle(self, cycle: tuple[str, ...]) -> None:
        """Reported once per cycle, at the set it was entered by, naming each set's place."""
        if frozenset(cycle) in self.cycles:
            return
        self.cycles.add(frozenset(cycle))
        first = self.book.places[cycle[0]]
        steps = " → ".join(f"'{n}' ({_place(self.book.places[n], first)})" for n in cycle)
        self.findings.append(
            Finding(
                codes.SET_CYCLE,
                f"sets include each other in a cycle: {steps} → '{cycle[0]}'",
                self.book.places[cycle[0]],
                hint="a set cannot contain itself, directly or through other sets: remove one "
                "of the '- set:' entries",
            )
        )


def _place(where: Location, beside: Location) -> str:
    """``line 5`` in the file of ``beside``, else ``file:line``."""
    return f"line {where.line}" if where.file == beside.file else f"{where.file}:{where.line}"


def unknown_set(name: str, book: SetBook, where: Location) -> Finding:
    close = difflib.get_close_matches(name, list(book.places), n=1, cutoff=0.6)
    hint = f"did you mean the set '{close[0]}'?" if close else _DEFINE_SET
    message = f"'{name}' is not a set in the products files"
    return Finding(codes.UNKNOWN_SET, message, where, hint=hint)


def empty_set(use: SetUse) -> Finding:
    return Finding(
        codes.EMPTY_SET_ALLOWED,
        f"the set '{use.name}' is empty: allowing it allows nothing",
        use.where,
        hint="add products to the set, or remove this entry",
        severity=Severity.WARNING,
    )
