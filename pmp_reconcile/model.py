"""Domain values shared by the desired-state loader, the live reader and the planner.

Desired and live state are the *same* model so that planning is set arithmetic on values. A
field that the desired tree may leave "as it is live" is ``None`` there (``description``,
``branding``); the live reader fills every field it can read. Only the location import comes
from :mod:`pmp_reconcile.errors`, the one module below this one.

The values are plain frozen dataclasses: only our own code builds them, from data the loader
and the reader already checked, and a plan should not wait for a validation library to load.
Every member takes its type as given (ids as frozensets, texts as enums); nothing converts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from pmp_reconcile.errors import Location

ACCOUNT_ID_RE = re.compile(r"^\d{12}$")
OU_ID_RE = re.compile(r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$")
ROOT_ID_RE = re.compile(r"^r-[0-9a-z]{4,32}$")
ORGANIZATION_ID_RE = re.compile(r"^o-[a-z0-9]{10,32}$")
EXPERIENCE_ID_RE = re.compile(r"^exp-[a-zA-Z0-9]+$")


class Status(StrEnum):
    """Console "Live" / "Not live"; AWS creates experiences disabled."""

    ENABLED = "enabled"
    DISABLED = "disabled"


class RequestPolicy(StrEnum):
    """Whether users may request products that are not allowed yet."""

    ALLOW = "allow"
    DENY = "deny"


class NodeKind(StrEnum):
    """A place in the organization tree (the organization sits above its root). Every kind
    but the root can be a principal of an experience."""

    ACCOUNT = "account"
    OU = "ou"
    ROOT = "root"
    ORGANIZATION = "organization"


#: Each kind's id shape and how to describe it to someone who typed another.
ID_SHAPES: tuple[tuple[NodeKind, re.Pattern[str], str], ...] = (
    (NodeKind.ACCOUNT, ACCOUNT_ID_RE, "an account id is 12 digits, e.g. 111122223333"),
    (NodeKind.OU, OU_ID_RE, "an OU id looks like ou-ab12-cdefgh34"),
    (NodeKind.ROOT, ROOT_ID_RE, "a root id looks like r-ab12"),
    (NodeKind.ORGANIZATION, ORGANIZATION_ID_RE, "an organization id looks like o-abcdefghij"),
)


def node_kind(node_id: str) -> NodeKind | None:
    """The kind of an AWS Organizations id, or None when it has no known shape."""
    for kind, pattern, _ in ID_SHAPES:
        if pattern.match(node_id):
            return kind
    return None


class UnmanagedPolicy(StrEnum):
    """What to do with live experiences that no file describes."""

    IGNORE = "ignore"
    WARN = "warn"
    ARCHIVE = "archive"


class ProductChecks(StrEnum):
    """What a product the Discovery API does not know, or closed to new subscriptions, does to
    a plan: a warning, an error (plan exits 1, apply sends nothing), or no lookup at all."""

    WARN = "warn"
    ERROR = "error"
    OFF = "off"


class Caller(StrEnum):
    """Which account runs the tool; a delegated admin lists with ``Scope=SharedWithMe``."""

    MANAGEMENT = "management"
    DELEGATED_ADMIN = "delegated-admin"


def _empty() -> Mapping[str, Any]:
    """A fresh read-only empty mapping, the default of every mapping member."""
    return MappingProxyType({})


@dataclass(frozen=True, kw_only=True)
class Branding:
    """Look of an experience. A ``None`` member is not managed (desired) or unset (live)."""

    title: str | None = None
    information: str | None = None
    theme_color: str | None = None
    logo_url: str | None = None


@dataclass(frozen=True, kw_only=True)
class LiveEntity:
    """An entity as read: its id and the revision the plan was computed from."""

    id: str
    revision: str

    @property
    def identifier(self) -> str:
        return f"{self.id}@{self.revision}"


@dataclass(frozen=True, kw_only=True)
class LiveRefs:
    """Where a live experience's parts are, with revisions (optimistic locking, staleness)."""

    experience: LiveEntity
    procurement_policy: LiveEntity | None = None
    branding: LiveEntity | None = None
    audiences: tuple[LiveEntity, ...] = ()

    def entities(self) -> tuple[LiveEntity, ...]:
        parts = (self.experience, self.procurement_policy, self.branding, *self.audiences)
        return tuple(p for p in parts if p is not None)


@dataclass(frozen=True, kw_only=True)
class Experience:
    """One private marketplace experience, desired or live.

    ``key`` is the file stem for desired experiences and None for live ones until matched.
    ``software_requests`` is None on a live experience without a procurement policy, which
    lets its audience buy everything.
    """

    key: str | None = None
    name: str
    id: str | None = None
    description: str | None = None
    status: Status = Status.DISABLED
    archived: bool = False
    software_requests: RequestPolicy | None = RequestPolicy.ALLOW
    principals: frozenset[str] = frozenset()
    allowed: frozenset[str] = frozenset()
    denied: frozenset[str] = frozenset()
    notes: Mapping[str, str] = field(default_factory=_empty)
    branding: Branding | None = None
    live: LiveRefs | None = None
    source: Location | None = None
    principal_sources: Mapping[str, Location] = field(default_factory=_empty)
    #: A long list's places are a compact mapping (``desired.places``), not a dict.
    product_sources: Mapping[str, Location] = field(default_factory=_empty)
    #: Product → the set (``products.yaml`` ``sets:``) that brought it; desired only.
    product_sets: Mapping[str, str] = field(default_factory=_empty)

    @property
    def has_procurement_policy(self) -> bool:
        return self.software_requests is not None


#: Experience texts a file may leave out ("as it is live"). Each is a field of
#: :class:`Experience` and of the file schema, a member of the Experience Details (catalog
#: vocabulary) and an action kind ``set_<field>``; the loader, diff, packer, reader and writer
#: go through this list.
EXPERIENCE_TEXTS: tuple[str, ...] = ("description",)


@dataclass(frozen=True, kw_only=True)
class Guardrails:
    """Limits on destructive change that ``apply`` refuses to cross without an override."""

    max_product_removals: int = 25
    max_principal_removals: int = 10
    protected: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Settings:
    """``pmp.yaml``: how the tree is reconciled."""

    version: int = 1
    organization_id: str | None = None
    caller: Caller = Caller.MANAGEMENT
    unmanaged_experiences: UnmanagedPolicy = UnmanagedPolicy.WARN
    guardrails: Guardrails = Guardrails()
    product_checks: ProductChecks = ProductChecks.WARN
    source: Location | None = None


@dataclass(frozen=True, kw_only=True)
class OpenChangeSet:
    """A change set still PREPARING or APPLYING on entities the plan reads (live only).
    ``ours``: this tool started it (by its name)."""

    id: str
    name: str
    status: str
    entity_ids: tuple[str, ...] = ()
    ours: bool = False


@dataclass(frozen=True, kw_only=True)
class MarketplaceState:
    """A whole private marketplace: the desired tree or what the Catalog API shows.

    ``aliases`` maps a readable alias to a product id (desired only; plans show them).
    """

    experiences: tuple[Experience, ...] = ()
    settings: Settings = Settings()
    aliases: Mapping[str, str] = field(default_factory=_empty)
    open_change_sets: tuple[OpenChangeSet, ...] = ()

    def revisions(self) -> dict[str, str]:
        """``id → revision`` of every live entity (what a plan read, what staleness compares)."""
        return {
            entity.id: entity.revision
            for experience in self.experiences
            if experience.live is not None
            for entity in experience.live.entities()
        }

    def by_id(self) -> dict[str, Experience]:
        return {e.id: e for e in self.experiences if e.id is not None}

    def alias_of(self) -> dict[str, str]:
        """Product id → alias, for display."""
        return {product: alias for alias, product in self.aliases.items()}


@dataclass(frozen=True, kw_only=True)
class ProductInfo:
    """What the Discovery API says of one product; plans show it beside the id.

    ``available`` is False when the seller closed the product to new subscriptions
    (``NOT_AVAILABLE_FOR_SUBSCRIPTION``).
    """

    id: str
    name: str
    publisher: str
    available: bool = True


@dataclass(frozen=True, kw_only=True)
class LogoFinding:
    """What fetching a logo URL found that AWS would refuse when it copies the image.

    ``checked`` is False when the host did not answer in time: nothing is known either way.
    """

    url: str
    problem: str
    checked: bool = True


@dataclass(frozen=True, kw_only=True)
class ProductFacts:
    """The Discovery facts of the ids a command needed.

    ``unknown``: ids Discovery does not know. ``unavailable``: why nothing could be looked up
    (no permission, say); then ``products`` holds only what a cache already knew.
    """

    products: Mapping[str, ProductInfo] = field(default_factory=_empty)
    unknown: frozenset[str] = frozenset()
    unavailable: str | None = None

    def name_of(self, product_id: str) -> str | None:
        info = self.products.get(product_id)
        return info.name if info is not None else None
