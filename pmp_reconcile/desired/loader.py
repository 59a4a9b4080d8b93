"""The desired-state tree → :class:`MarketplaceState`, or every problem found in it.

``validate`` and every command that reads the tree go through :func:`load_with_findings`, so
they agree on what is valid; nothing here talks to AWS.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from pmp_reconcile.desired.includes import read_includes
from pmp_reconcile.desired.names import check_names, product_files
from pmp_reconcile.desired.places import joined
from pmp_reconcile.desired.product_rules import (
    AliasBook,
    ResolvedProducts,
    alias_book,
    check_products_files,
    resolve_products,
)
from pmp_reconcile.desired.rules import check_across, check_protected
from pmp_reconcile.desired.sets import SetBook, set_book
from pmp_reconcile.desired.spec import ExperienceFile, ProductsFile, SettingsFile
from pmp_reconcile.desired.text_comments import check_cut_texts
from pmp_reconcile.desired.tree import Loaded, Tree, read_settings, read_tree
from pmp_reconcile.errors import Finding, InputError, Severity, ValidationFailed
from pmp_reconcile.model import (
    EXPERIENCE_TEXTS,
    Caller,
    Experience,
    Guardrails,
    MarketplaceState,
    ProductChecks,
    RequestPolicy,
    Settings,
    Status,
    UnmanagedPolicy,
)


def load_desired_state(directory: Path) -> MarketplaceState:
    """The tree's state; raises :class:`ValidationFailed` with all findings on any error."""
    state, findings = load_with_findings(directory)
    if state is None:
        raise ValidationFailed(findings)
    return state


def load_settings(directory: Path) -> Settings | None:
    """The tree's settings alone, read quickly before the rest (a workflow can connect while
    the experiences load); None when pmp.yaml or the directory has anything to report."""
    findings: list[Finding] = []
    loaded = read_settings(directory, findings) if directory.is_dir() else None
    return None if findings or not directory.is_dir() else _settings(loaded)


def load_aliases(directory: Path) -> dict[str, str]:
    """The aliases of the tree's products.yaml and of the files its pmp.yaml includes (those
    that could be read), without checking the rest of the tree."""
    tree = read_tree(directory)
    read_includes(tree, directory)
    return dict(alias_book(tree).ids)


def load_with_findings(directory: Path) -> tuple[MarketplaceState | None, list[Finding]]:
    """The state (None when any finding is an error) and every finding, sorted."""
    if not directory.is_dir():
        raise InputError(
            f"{directory} is not a directory",
            hint="give the desired-state directory (default: desired_state)",
        )
    tree = read_tree(directory)
    read_includes(tree, directory)
    findings = list(tree.findings)
    aliases = alias_book(tree)
    files = product_files(tree)
    findings += check_products_files(files)
    findings += check_names(files)
    sets = _sets(tree, files, aliases, findings)
    products = {
        k: resolve_products(e, aliases, findings, sets) for k, e in tree.experiences.items()
    }
    findings += check_across(tree)
    findings += check_protected(tree)
    findings += check_cut_texts(tree)
    findings.sort(key=Finding.sort_key)
    if any(f.severity is Severity.ERROR for f in findings):
        return None, findings
    return _state(tree, aliases.ids, products), findings


def _sets(
    tree: Tree, files: list[Loaded[ProductsFile]], aliases: AliasBook, findings: list[Finding]
) -> SetBook:
    """The expanded sets (none, at next to no cost, when no file defines one)."""
    book, found = set_book(tree, files, aliases.ids, judge=not aliases.unreadable)
    findings += found
    return book


def _state(
    tree: Tree, aliases: dict[str, str], products: dict[str, ResolvedProducts]
) -> MarketplaceState:
    experiences = tuple(
        _experience(key, loaded, products[key]) for key, loaded in tree.experiences.items()
    )
    return MarketplaceState(
        experiences=experiences,
        settings=_settings(tree.settings),
        aliases=MappingProxyType(aliases),
    )


def _experience(key: str, loaded: Loaded[ExperienceFile], products: ResolvedProducts) -> Experience:
    model = loaded.model
    return Experience(
        key=key,
        name=model.name,
        id=model.id,
        **{field: getattr(model, field) for field in EXPERIENCE_TEXTS},
        status=Status(model.status),
        archived=model.archived,
        software_requests=RequestPolicy(model.software_requests),
        principals=frozenset(model.principals),
        allowed=frozenset(products.allowed),
        denied=frozenset(products.denied),
        notes=MappingProxyType(products.notes),
        branding=model.branding,
        source=loaded.at(),
        principal_sources=MappingProxyType(
            {p: loaded.at("principals", i) for i, p in enumerate(model.principals)}
        ),
        product_sources=joined(products.allowed, products.denied),
        product_sets=MappingProxyType({p: name for (_, p), name in products.via.items()}),
    )


def _settings(loaded: Loaded[SettingsFile] | None) -> Settings:
    if loaded is None:
        return Settings()
    model = loaded.model
    rails = model.guardrails
    return Settings(
        version=model.version,
        organization_id=model.organization_id,
        caller=Caller(model.caller),
        unmanaged_experiences=UnmanagedPolicy(model.unmanaged_experiences),
        guardrails=Guardrails(
            max_product_removals=rails.max_product_removals,
            max_principal_removals=rails.max_principal_removals,
            protected=tuple(rails.protected),
        ),
        product_checks=ProductChecks(model.product_checks),
        source=loaded.at(),
    )
