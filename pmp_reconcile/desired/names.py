"""The names the products files define: aliases and sets, over products.yaml and its includes.

A tree may take names from several files (``pmp.yaml`` ``include:``), and an alias and a set
are both written where a product is: so a name means one thing across them all, and a name
defined twice is reported at the second place, naming the first.
"""

from __future__ import annotations

from collections.abc import Iterator

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.spec import ProductsFile
from pmp_reconcile.desired.tree import Loaded, Tree
from pmp_reconcile.errors import Finding, Location

SECTIONS = {"products": "an alias", "sets": "a set"}


def product_files(tree: Tree) -> list[Loaded[ProductsFile]]:
    """products.yaml (when it was read), then each included file in the order named."""
    first = [tree.products] if tree.products is not None else []
    return first + tree.included


def check_names(files: list[Loaded[ProductsFile]]) -> Iterator[Finding]:
    """Each alias and set name defined once over all the files (D049)."""
    seen: dict[str, tuple[str, Location]] = {}
    for loaded in files:
        for section, kind in SECTIONS.items():
            for name in getattr(loaded.model, section):
                where = loaded.key_at(section, name)
                if name not in seen:
                    seen[name] = (kind, where)
                    continue
                first_kind, first = seen[name]
                yield Finding(
                    codes.NAME_DEFINED_TWICE,
                    f"'{name}' is defined as {kind} here and as {first_kind} at {first}",
                    where,
                    hint="aliases and sets share one set of names: rename or remove one",
                )
