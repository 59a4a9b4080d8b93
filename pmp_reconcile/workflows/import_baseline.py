"""``import --sets``: the products every imported experience allows, as one ``baseline`` set.

Thirty experience files repeating the same two hundred products are thirty places to keep in
step; the set is one. A product is factored only when every experience allows it with the
same note (a note lives with the set entry), so the tree still plans clean.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pmp_reconcile.desired.naming import PRODUCTS_FILE
from pmp_reconcile.desired.writer import BASELINE, baseline_text
from pmp_reconcile.errors import InputError
from pmp_reconcile.model import Experience


@dataclass(frozen=True)
class Baseline:
    """What ``import --sets`` adds: product id → its note, and where."""

    out: Path
    asked: bool = False
    products: Mapping[str, str | None] = field(default_factory=dict)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.products)

    @property
    def products_path(self) -> Path:
        return self.out / PRODUCTS_FILE

    def files(
        self, products_text: str | None, aliases: Mapping[str, str], names: Mapping[str, str]
    ) -> dict[Path, str]:
        """products.yaml with the set added after what it held (kept as written)."""
        if not self.products:
            return {}
        alias_of = {product: alias for alias, product in aliases.items()}
        before = products_text or ""
        if before and not before.endswith("\n"):
            before += "\n"
        return {self.products_path: before + baseline_text(self.products, alias_of, names)}

    def notes(self) -> list[str]:
        if not self.asked:
            return []
        if not self.products:
            return [f"no product is allowed by every imported experience: no '{BASELINE}' set"]
        return [
            f"{len(self.products)} product(s) every imported experience allows are in the "
            f"'{BASELINE}' set of {self.products_path}"
        ]


def baseline_for(chosen: Sequence[Experience], out: Path, asked: bool, has_sets: bool) -> Baseline:
    """The baseline of ``chosen`` (none unless ``asked``, nor for fewer than two)."""
    if not asked:
        return Baseline(out)
    if has_sets:
        raise InputError(
            f"products.yaml already defines sets: import --sets writes a '{BASELINE}' set "
            "into a products.yaml without one",
            hint="import without --sets, or into another --out",
        )
    if len(chosen) < 2:
        return Baseline(out, asked=True)
    shared = frozenset.intersection(*(e.allowed for e in chosen))
    notes = {p: {e.notes.get(p) for e in chosen} for p in shared}
    common = {p: next(iter(n)) for p, n in sorted(notes.items()) if len(n) == 1}
    return Baseline(out, asked=True, products=common)
