"""A :class:`MarketplaceState` → the files of a desired-state tree (``pmp-reconcile import``).

Pure: values in, ``{relative path: YAML text}`` out, byte for byte the same for the same
state. The text follows the format document (docs: the desired-state tree) so that loading it
back and planning against the same live marketplace finds nothing to change, with one
exception the format cannot express: a live experience without a procurement policy (see
:data:`NO_POLICY_COMMENT`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass

import yaml

from pmp_reconcile.desired.naming import EXPERIENCES_DIR, SCHEMA_FILE
from pmp_reconcile.desired.products import is_product_id
from pmp_reconcile.desired.spec import MAX_KEY, NAME_PATTERN
from pmp_reconcile.model import (
    ACCOUNT_ID_RE,
    EXPERIENCE_TEXTS,
    Branding,
    Caller,
    Experience,
    MarketplaceState,
    Settings,
    Status,
)

#: Points from experiences/KEY.yaml at the schema ``import`` writes at the top of the tree.
MODELINE = f"# yaml-language-server: $schema=../{SCHEMA_FILE}"
FALLBACK_KEY = "experience"
#: The set ``import --sets`` writes: the products every imported experience allows.
BASELINE = "baseline"
NO_POLICY_COMMENT = (
    "# Live, this experience has no procurement policy: its audience may buy every product.",
    '# The format cannot say "no policy", so software_requests: allow (AWS\'s default) is',
    "# written; the next plan creates the policy (create_procurement_policy), after which only",
    "# the products allowed below may be bought.",
)
_NAME = re.compile(NAME_PATTERN)
_NOT_KEY = re.compile(r"[^a-z0-9_-]+")
_DASHES = re.compile(r"-{2,}")
_RESOLVER = yaml.resolver.Resolver()  # SafeLoader's, which the loader uses
_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_START = re.compile(r"^[A-Za-z0-9(/.$]")


@dataclass(frozen=True)
class ImportedFile:
    """One experience file to write: where, for which live experience, and its text."""

    path: str
    experience: Experience
    text: str


def slugify(name: str) -> str:
    """A file stem for ``name``: lowercase ``[a-z0-9_-]``, starting alphanumeric, ≤ 64."""
    text = _NOT_KEY.sub("-", name.strip().lower().replace(" ", "-"))
    text = _DASHES.sub("-", text).strip("-_")
    return _trim(text) or FALLBACK_KEY


def _trim(text: str, limit: int = MAX_KEY) -> str:
    return text[:limit].rstrip("-_")


def unique_keys(names: Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """One stem per name, in order; a clash gets ``-2``, ``-3``… (always within 64)."""
    used = set(taken)
    keys = []
    for name in names:
        base = slugify(name)
        key, number = base, 2
        while key in used:
            suffix = f"-{number}"
            key = f"{_trim(base, MAX_KEY - len(suffix)) or FALLBACK_KEY}{suffix}"
            number += 1
        used.add(key)
        keys.append(key)
    return keys


def experience_files(
    state: MarketplaceState,
    aliases: Mapping[str, str] | None = None,
    pinned: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    baseline: frozenset[str] = frozenset(),
) -> list[ImportedFile]:
    """One file per experience, ordered by name then id.

    ``aliases`` maps alias → product id (products.yaml). ``pinned`` maps an experience id to
    the stem of a file that already pins it: that file is the one rewritten, and no other
    experience takes one of those stems. ``names`` maps a product id to its name, written as
    a comment after the product so the file reads like the console. Products in ``baseline``
    (which every experience allows) are written as ``- set: baseline``.
    """
    ordered = sorted(state.experiences, key=lambda e: (e.name, e.id or ""))
    alias_of = {product: alias for alias, product in (aliases or {}).items()}
    keys = _keys(ordered, pinned or {})
    return [
        ImportedFile(
            path=f"{EXPERIENCES_DIR}/{key}.yaml",
            experience=experience,
            text=experience_text(experience, alias_of, names, baseline),
        )
        for key, experience in zip(keys, ordered, strict=True)
    ]


def _keys(ordered: Sequence[Experience], pinned: Mapping[str, str]) -> list[str]:
    kept = {e.id: pinned[e.id] for e in ordered if e.id is not None and e.id in pinned}
    fresh = iter(unique_keys([e.name for e in ordered if e.id not in kept], pinned.values()))
    return [kept[e.id] if e.id in kept else next(fresh) for e in ordered]


def experience_text(
    experience: Experience,
    alias_of: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    baseline: frozenset[str] = frozenset(),
) -> str:
    """The YAML of one experience file (``alias_of`` maps product id → alias, ``names``
    product id → the name written beside it)."""
    lines = _experience_lines(experience, _Labels(alias_of or {}, names or {}, baseline))
    return "".join(f"{line}\n" for line in lines)


def _experience_lines(experience: Experience, labels: _Labels) -> Iterator[str]:
    yield MODELINE
    if not experience.has_procurement_policy:
        yield from NO_POLICY_COMMENT
    yield f"name: {scalar(experience.name)}"
    for field in EXPERIENCE_TEXTS:
        if (text := getattr(experience, field)) is not None:
            yield f"{field}: {scalar(text)}"
    if experience.id is not None:
        yield f"id: {scalar(experience.id)}"
    yield from _lifecycle(experience)
    yield from _principals(experience.principals)
    yield from _products(experience, labels)
    if experience.branding is not None:
        yield from _branding(experience.branding)


def _lifecycle(experience: Experience) -> Iterator[str]:
    # An archived experience is disabled (the service disables before it archives); the tree
    # rules refuse archived: true with status: enabled, and an archived pair plans nothing.
    status = Status.DISABLED if experience.archived else experience.status
    yield f"status: {status.value}"
    yield f"archived: {'true' if experience.archived else 'false'}"
    requests = experience.software_requests
    yield f"software_requests: {requests.value if requests else 'allow'}"


def _principals(principals: Iterable[str]) -> Iterator[str]:
    listed = sorted(principals)
    if not listed:
        yield "principals: []"
        return
    yield "principals:"
    for principal in listed:
        written = _quoted(principal) if ACCOUNT_ID_RE.match(principal) else scalar(principal)
        yield f"  - {written}"


@dataclass(frozen=True)
class _Labels:
    """How a product id is written: its alias if it has one, its name as a comment."""

    alias_of: Mapping[str, str]
    names: Mapping[str, str]
    baseline: frozenset[str] = frozenset()

    def comment(self, product: str) -> str:
        # YAML refuses control characters even in comments, and a line break would end one.
        printable = "".join(c if c.isprintable() else " " for c in self.names.get(product, ""))
        name = " ".join(printable.split())
        return f"  # {name}" if name else ""


def _products(experience: Experience, labels: _Labels) -> Iterator[str]:
    yield "products:"
    allowed = _entries(experience.allowed - labels.baseline, experience.notes, labels)
    if labels.baseline:
        yield "  allow:"
        yield f"    - set: {BASELINE}"
        yield from _entry_lines(allowed)
    else:
        yield from _product_list("allow", allowed, always=True)
    denied = _entries(experience.denied, experience.notes, labels)
    yield from _product_list("deny", denied, always=False)


def _entries(
    products: Iterable[str], notes: Mapping[str, str], labels: _Labels
) -> list[tuple[str, str | None, str]]:
    """(reference, note, comment) sorted by the reference as written."""
    return sorted((labels.alias_of.get(p, p), notes.get(p), labels.comment(p)) for p in products)


def _product_list(
    label: str, entries: Sequence[tuple[str, str | None, str]], always: bool
) -> Iterator[str]:
    if not entries:
        if always:
            yield f"  {label}: []"
        return
    yield f"  {label}:"
    yield from _entry_lines(entries)


def _entry_lines(entries: Sequence[tuple[str, str | None, str]]) -> Iterator[str]:
    for reference, note, comment in entries:
        if note is None:
            yield f"    - {scalar(reference)}{comment}"
        else:
            yield f"    - id: {scalar(reference)}{comment}"
            yield f"      notes: {scalar(note)}"


def baseline_text(
    baseline: Mapping[str, str | None], alias_of: Mapping[str, str], names: Mapping[str, str]
) -> str:
    """``sets:`` with the baseline set (product id → its note), for products.yaml."""
    labels = _Labels(alias_of, names)
    notes = {p: note for p, note in baseline.items() if note is not None}
    lines = ["sets:", *_product_list(BASELINE, _entries(baseline, notes, labels), always=True)]
    return "".join(f"{line}\n" for line in lines)


def _branding(branding: Branding) -> Iterator[str]:
    present = [(a, v) for a, v in asdict(branding).items() if v is not None]
    if not present:
        return
    yield "branding:"
    for attribute, value in present:
        yield f"  {attribute}: {scalar(value)}"


def settings_text(caller: Caller) -> str:
    """``pmp.yaml`` for an imported tree: the caller that read it, the other defaults."""
    defaults = Settings()
    lines = (
        "# Settings of this desired-state tree (all optional; see the format document).",
        f"version: {defaults.version}",
        f"caller: {caller.value}",
        f"unmanaged_experiences: {defaults.unmanaged_experiences.value}",
    )
    return "".join(f"{line}\n" for line in lines)


def scalar(text: str) -> str:
    """``text`` as a YAML scalar that reads back as the same string: plain when it can be."""
    if _plain_is_safe(text):
        return text
    return _quoted(text)


def _quoted(text: str) -> str:
    dumped = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=2**31 - 1)
    return dumped.rstrip("\n")


def _plain_is_safe(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text or not _PLAIN_START.match(text):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if not reads_as_string(text):
        return False  # a number, date, bool or null to the resolver, even one that fails to build
    try:
        return bool(yaml.safe_load(text) == text)
    except yaml.YAMLError:
        return False


def reads_as_string(text: str) -> bool:
    """Whether the loader's resolver tags ``text``, written plain, as a string.

    Asking the resolver itself (not a list of look-alikes) covers every implicit type of YAML
    1.1, and the shapes it tags but cannot build (``0b_``, ``0x_``, ``2024-13-45``).
    """
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag == _STR_TAG)


def unrepresentable(experiences: Iterable[Experience]) -> list[str]:
    """Why these live experiences cannot be written as a valid tree (empty when they can)."""
    problems = []
    by_name: dict[str, list[str]] = {}
    for experience in experiences:
        label = f"'{experience.name}' ({experience.id})"
        by_name.setdefault(experience.name, []).append(experience.id or "?")
        if not _NAME.match(experience.name):
            problems.append(
                f"{label}: the name does not fit the format (1-50 of a-z 0-9 _ - space)"
            )
        odd = sorted(p for p in experience.allowed | experience.denied if not is_product_id(p))
        if odd:
            listed = ", ".join(odd)
            problems.append(f"{label}: product id(s) the Catalog API would not take: {listed}")
    for name, ids in sorted(by_name.items()):
        if len(ids) > 1:
            problems.append(f"{len(ids)} live experiences are named '{name}' ({', '.join(ids)})")
    return problems
