"""The products files that ``pmp.yaml`` includes: one catalog shared by several trees.

Several organizations kept in one repository approve from one list, so an include may lead
out of the tree (``../../common/products.yaml``): that is its purpose. It is still read as
carefully as a tree file (a regular file, at most 5 MB, never echoed when refused), and a file
that cannot be read is reported at the ``include:`` entry that names it.
"""

from __future__ import annotations

import os
from pathlib import Path

from pmp_reconcile.desired import codes
from pmp_reconcile.desired.naming import SETTINGS_FILE
from pmp_reconcile.desired.spec import ProductsFile
from pmp_reconcile.desired.tree import Loaded, Tree, load_file, read_tree_file
from pmp_reconcile.errors import Finding, Location


def read_includes(tree: Tree, directory: Path) -> None:
    """Read every file ``pmp.yaml`` includes into ``tree.included`` (problems as findings)."""
    settings = tree.settings
    if settings is None or ("include",) in settings.dropped:
        tree.includes_unreadable = settings is not None or (directory / SETTINGS_FILE).exists()
        return
    for index, written in enumerate(settings.model.include):
        where = settings.at("include", index)
        path = Path(os.path.normpath(directory / written))  # shown as common/…, not a/../common
        loaded = _read_one(path, written, where, tree.findings)
        if loaded is None:
            tree.includes_unreadable = True
        else:
            tree.included.append(loaded)


def _read_one(
    path: Path, written: str, where: Location, findings: list[Finding]
) -> Loaded[ProductsFile] | None:
    if not (path.exists() or path.is_symlink()):
        findings.append(_bad(f"included file {written} does not exist", where))
        return None
    refused = read_tree_file(path, path.parent)
    if isinstance(refused, Finding):
        findings.append(_bad(f"included file {written}: {refused.message}", where))
        return None
    return load_file(path, path.parent, ProductsFile, findings)


def _bad(message: str, where: Location) -> Finding:
    hint = "give a path relative to this tree's directory, e.g. ../../common/products.yaml"
    return Finding(codes.BAD_INCLUDE, message, where, hint=hint)
