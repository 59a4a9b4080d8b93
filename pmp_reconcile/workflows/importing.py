"""``import``: write a desired-state tree from the live marketplace.

Read live, pick the experiences asked for, render their files (reusing the aliases of an
existing products.yaml and the file of an existing experience file that pins the same id),
check that the result would validate, and only then write. Nothing is overwritten unless
``force``; ``pmp.yaml`` is written only when there is none.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pmp_reconcile.desired.imported import ImportResult, Written
from pmp_reconcile.desired.includes import read_includes
from pmp_reconcile.desired.loader import load_with_findings
from pmp_reconcile.desired.naming import EXPERIENCES_DIR, PRODUCTS_FILE, SETTINGS_FILE
from pmp_reconcile.desired.product_rules import alias_book, check_products_files
from pmp_reconcile.desired.tree import inside, read_settings, read_tree
from pmp_reconcile.desired.writer import (
    ImportedFile,
    experience_files,
    settings_text,
    unrepresentable,
)
from pmp_reconcile.errors import Finding, InputError, Severity, ValidationFailed
from pmp_reconcile.model import Caller, Experience, MarketplaceState
from pmp_reconcile.workflows.import_baseline import baseline_for
from pmp_reconcile.workflows.reconcile import Target, read_live


@dataclass(frozen=True)
class ImportRequest:
    """What ``import`` was asked: where to write, which experiences, whether to overwrite."""

    out: Path
    only: tuple[str, ...] = ()
    force: bool = False
    caller: Caller = Caller.MANAGEMENT
    #: Factor the products every imported experience allows into a ``baseline`` set.
    sets: bool = False


@dataclass(frozen=True)
class _Existing:
    """What the output directory holds already: aliases and pinned ids per file stem."""

    aliases: Mapping[str, str]
    pinned: Mapping[str, str]
    caller: Caller | None = None
    products_text: str | None = None
    has_sets: bool = False


def import_marketplace(request: ImportRequest, target: Target) -> ImportResult:
    """Read the live marketplace and write it as a tree under ``request.out``."""
    existing = _existing(request.out)
    live = read_live(target.api_for(request.caller))
    chosen = _representable(_select(live.experiences, request.only))
    selected = MarketplaceState(experiences=tuple(chosen))
    names, unnamed = _product_names(chosen, target)
    baseline = baseline_for(chosen, request.out, request.sets, existing.has_sets)
    files = experience_files(selected, existing.aliases, existing.pinned, names, baseline.ids)
    settings = request.out / SETTINGS_FILE
    write_settings = not settings.exists()
    texts = {request.out / f.path: f.text for f in files}
    if write_settings:
        texts[settings] = settings_text(request.caller)
    texts |= baseline.files(existing.products_text, existing.aliases, names)
    _refuse_outside(request.out, texts)
    kept = {baseline.products_path}  # products.yaml gains the set: what it held stays
    _refuse_overwrite([p for p in texts if _present(p) and p not in kept], request.force)
    _check_result(request.out, texts)
    replaced = {p for p in texts if p.exists()}
    _write(request.out, texts)
    notes = _caller_note(existing, request) + baseline.notes() + _notes(chosen, live) + unnamed
    return ImportResult(
        out=request.out,
        experiences=tuple(_written(request.out, f, replaced) for f in files),
        settings_written=settings if write_settings else None,
        settings_kept=None if write_settings else settings,
        notes=tuple(notes),
    )


def _representable(chosen: list[Experience]) -> list[Experience]:
    problems = unrepresentable(chosen)
    if problems:
        raise InputError(
            "the live marketplace cannot be written as a valid tree: " + "; ".join(problems),
            hint="rename or fix those experiences, or leave them out with --only",
        )
    return chosen


def _present(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _product_names(
    chosen: Sequence[Experience], target: Target
) -> tuple[dict[str, str], list[str]]:
    """Product id → name for the comments, and a note when Discovery could not be asked."""
    if target.products is None:
        return {}, []
    facts = target.products.facts(p for e in chosen for p in e.allowed | e.denied)
    names = {product: info.name for product, info in facts.products.items()}
    return names, [facts.unavailable] if facts.unavailable else []


def _existing(out: Path) -> _Existing:
    """Aliases of products.yaml (which must be valid) and ids pinned by experience files."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is not a directory", hint="give --out a directory")
    if not out.is_dir():
        return _Existing(aliases={}, pinned={})
    tree = read_tree(out)
    read_includes(tree, out)
    products_path = str(out / PRODUCTS_FILE)
    findings = [f for f in tree.findings if f.location.file == products_path]
    if tree.products is not None:
        findings += check_products_files([tree.products])
    if any(f.severity is Severity.ERROR for f in findings):
        raise ValidationFailed(findings)
    pinned = {loaded.model.id: key for key, loaded in tree.experiences.items() if loaded.model.id}
    caller = Caller(tree.settings.model.caller) if tree.settings is not None else None
    products = tree.products
    return _Existing(
        aliases=alias_book(tree).ids,
        pinned=pinned,
        caller=caller,
        products_text=(out / PRODUCTS_FILE).read_text(encoding="utf-8") if products else None,
        has_sets=bool(products and products.model.sets),
    )


def _select(experiences: Sequence[Experience], only: Sequence[str]) -> list[Experience]:
    """All experiences, or those named (by name or id) in ``only``; unknown names fail."""
    if not only:
        return list(experiences)
    unknown = [w for w in only if not any(w in (e.name, e.id) for e in experiences)]
    if unknown:
        listed = ", ".join(f"'{w}'" for w in unknown)
        raise InputError(
            f"no live experience is named or has the id {listed}",
            hint="--only takes an experience's name or its id (exp-…)",
        )
    return [e for e in experiences if e.name in only or e.id in only]


def _refuse_overwrite(present: Sequence[Path], force: bool) -> None:
    if present and not force:
        listed = ", ".join(str(p) for p in sorted(present))
        raise InputError(
            f"import would overwrite {listed}; nothing was written",
            hint="re-run with --force to replace them, or choose another --out",
        )


def _refuse_outside(out: Path, targets: Iterable[Path]) -> None:
    """Every file lands inside OUT: a directory on the way that is a link elsewhere (say an
    ``experiences/`` pointing at another tree) would have the import write there."""
    for target in targets:
        parent = target.parent
        if (parent.exists() or parent.is_symlink()) and not inside(parent, out):
            raise InputError(
                f"{parent} leads outside {out}; nothing was written",
                hint="replace the link with a directory, or choose another --out",
            )


def _check_result(out: Path, texts: Mapping[Path, str]) -> None:
    """Load the tree as it would be after writing; refuse to write one that does not load.

    The trial copy sits beside ``out`` when the tree includes other files: their paths are
    relative to the tree, so they must lead to the same files from the copy.
    """
    beside = out.parent if _includes(out) else None
    with tempfile.TemporaryDirectory(prefix=".pmp-import-", dir=beside) as scratch:
        trial = Path(scratch)
        _copy_tree_files(out, trial)
        for path, text in texts.items():
            target = trial / path.relative_to(out)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            target.write_text(text, encoding="utf-8")
        _, findings = load_with_findings(trial)
    errors = [_moved(f, trial, out) for f in findings if f.severity is Severity.ERROR]
    if errors:
        raise ValidationFailed(errors)


def _includes(out: Path) -> bool:
    settings = read_settings(out, []) if out.is_dir() else None
    return settings is not None and bool(settings.model.include)


def _copy_tree_files(out: Path, trial: Path) -> None:
    """The files the loader reads (not whatever else shares the directory)."""
    (trial / EXPERIENCES_DIR).mkdir(parents=True, exist_ok=True)
    for name in (SETTINGS_FILE, PRODUCTS_FILE):
        if (out / name).is_file() and inside(out / name, out):
            shutil.copyfile(out / name, trial / name)
    folder = out / EXPERIENCES_DIR
    if folder.is_dir() and inside(folder, out):
        for path in folder.iterdir():
            if path.is_file() and inside(path, out):
                shutil.copyfile(path, trial / EXPERIENCES_DIR / path.name)


def _moved(finding: Finding, trial: Path, out: Path) -> Finding:
    """A finding about the trial copy, pointing at the file it stands for."""

    def back(text: str) -> str:
        return text.replace(str(trial), str(out))

    location = replace(finding.location, file=back(finding.location.file))
    hint = back(finding.hint) if finding.hint else None
    return replace(finding, message=back(finding.message), location=location, hint=hint)


def _write(out: Path, texts: Mapping[Path, str]) -> None:
    (out / EXPERIENCES_DIR).mkdir(parents=True, exist_ok=True)
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            path.unlink()
        path.write_text(text, encoding="utf-8")


def _written(out: Path, file: ImportedFile, replaced: set[Path]) -> Written:
    path = out / file.path
    return Written(path=path, experience=file.experience, replaced=path in replaced)


def _caller_note(existing: _Existing, request: ImportRequest) -> list[str]:
    if existing.caller is None or existing.caller is request.caller:
        return []
    return [
        f"read as {request.caller.value}, but {request.out / SETTINGS_FILE} says caller: "
        f"{existing.caller.value}; plan reads as {existing.caller.value}"
    ]


def _notes(chosen: Sequence[Experience], live: MarketplaceState) -> list[str]:
    """What ``plan`` on the imported tree reports although nothing else differs."""
    notes = []
    for experience in chosen:
        if experience.has_procurement_policy:
            continue
        label = f"'{experience.name}' ({experience.id})"
        if experience.archived:
            notes.append(
                f"{label} has no procurement policy live; it is archived, so plan changes "
                "nothing (a warning says so)"
            )
        else:
            notes.append(
                f"{label} has no procurement policy live (its audience may buy every "
                "product): the file says software_requests: allow, so plan shows "
                "create_procurement_policy for it; apply would then limit its audience to "
                "the products the file allows"
            )
    chosen_ids = {e.id for e in chosen}
    left_out = [e for e in live.experiences if e.id not in chosen_ids]
    if left_out:
        notes.append(
            f"{len(left_out)} live experience(s) not imported: plan lists them as unmanaged"
        )
    for open_set in live.open_change_sets:
        notes.append(
            f"change set {open_set.id} is {open_set.status}: the files show the marketplace "
            "before it ends; import again once it has"
        )
    return notes
