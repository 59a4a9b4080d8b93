"""The Plan value: frozen, versioned, and the JSON document users and CI depend on.

``Plan.to_document()`` is the public contract (``format_version`` 1, see docs/plan-format.md);
every renderer works from that document, so text, markdown and json cannot drift apart.

The values are plain frozen dataclasses, written by :mod:`pmp_reconcile.plan.encoding`: a plan
is made without loading a validation library. Only a saved plan read back is validated, by
pydantic imported when one is read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, cast

from pmp_reconcile.plan import codes
from pmp_reconcile.plan.codes import PlanCode, Severity
from pmp_reconcile.plan.document import PlanDocument
from pmp_reconcile.plan.encoding import PlanValue, json_of, members_of
from pmp_reconcile.plan.recorded import RecordedExperience

#: 2: ``live`` (the values each live experience had when planned) joined the document.
FORMAT_VERSION = 2


class Sign(StrEnum):
    """How a change reads at a glance (terraform-like)."""

    ADD = "+"
    REMOVE = "-"
    CHANGE = "~"


class ActionKind(StrEnum):
    """What a planned action does to an experience, with how it is shown.

    Each member carries its ``sign``, its ``label`` and whether its items are shown inline
    (without a count): a new kind cannot be rendered without saying how.
    """

    sign: Sign
    label: str
    inline: bool

    def __new__(cls, value: str, sign: Sign, label: str, inline: bool = False) -> ActionKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.sign = sign
        member.label = label
        member.inline = inline
        return member

    @classmethod
    def of(cls, value: str) -> ActionKind:
        """The kind a plan document names (an unknown one is an error, never shown raw)."""
        for kind in cls:
            if kind.value == value:
                return kind
        raise ValueError(f"unknown action kind {value!r}")

    CREATE = ("create", Sign.ADD, "create experience")
    RENAME = ("rename", Sign.CHANGE, "rename")
    DESCRIBE = ("set_description", Sign.CHANGE, "description")
    ENABLE = ("enable", Sign.ADD, "enable (go live)", True)
    DISABLE = ("disable", Sign.REMOVE, "disable (not live)", True)
    ARCHIVE = ("archive", Sign.REMOVE, "archive")
    REVIVE = ("revive", Sign.ADD, "revive")
    ADD_PRINCIPALS = ("add_principals", Sign.ADD, "add principals")
    REMOVE_PRINCIPALS = ("remove_principals", Sign.REMOVE, "remove principals")
    ALLOW_PRODUCTS = ("allow_products", Sign.ADD, "allow products")
    DENY_PRODUCTS = ("deny_products", Sign.REMOVE, "deny products")
    CREATE_POLICY = ("create_procurement_policy", Sign.ADD, "create procurement policy")
    SET_REQUESTS = ("set_software_requests", Sign.CHANGE, "software requests")
    CREATE_BRANDING = ("create_branding", Sign.ADD, "create branding", True)
    UPDATE_BRANDING = ("update_branding", Sign.CHANGE, "update branding", True)


@dataclass(frozen=True, kw_only=True)
class FieldChange(PlanValue):
    """One field an action changes, as it is live (None: not set) and as it will be."""

    field: str
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True, kw_only=True)
class Action(PlanValue):
    """One difference to remove, with the reason a reviewer reads.

    ``fields`` (branding: each field before and after) and ``notes`` (product id → the note
    sent with its decision) are left out of the document when empty, so plans without them
    read as they always did.
    """

    kind: ActionKind
    reason: str
    items: tuple[str, ...] = ()
    before: str | None = None
    after: str | None = None
    high_impact: bool = False
    fields: tuple[FieldChange, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)

    LEFT_OUT: ClassVar[tuple[str, ...]] = ("fields", "notes")


class ExperienceStatus(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    UNMANAGED = "unmanaged"


@dataclass(frozen=True, kw_only=True)
class ExperiencePlan(PlanValue):
    """Everything planned for one experience (desired key, or a live-only experience)."""

    key: str | None
    name: str
    id: str | None
    file: str | None
    status: ExperienceStatus
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PlannedChangeSet(PlanValue):
    """The exact StartChangeSet payload (less the token, which apply derives).

    ``needs_created`` names the experience (its key) that an earlier change set of the plan
    creates: apply sends these changes to the id AWS gave it. Left out of the document when
    None, so plans that create nothing read as they always did.
    """

    name: str
    changes: tuple[dict[str, Any], ...]
    needs_created: str | None = None

    LEFT_OUT: ClassVar[tuple[str, ...]] = ("needs_created",)


@dataclass(frozen=True, kw_only=True)
class Chain(PlanValue):
    """Change sets for one experience, run one after another (the entity is locked)."""

    experience: str
    change_sets: tuple[PlannedChangeSet, ...]


@dataclass(frozen=True, kw_only=True)
class Wave(PlanValue):
    """Chains that may run in parallel; waves run in order."""

    index: int
    purpose: str
    chains: tuple[Chain, ...]


@dataclass(frozen=True, kw_only=True)
class PlanWarning(PlanValue):
    """A finding shown with the plan; ``error`` ones make apply refuse.

    ``location`` (``file:line:col``) is set for findings about one place in the tree, and
    left out of the document otherwise, so plans without such findings read as they did.
    """

    code: str
    message: str
    severity: Severity = Severity.WARNING
    experience: str | None = None
    location: str | None = None

    LEFT_OUT: ClassVar[tuple[str, ...]] = ("location",)

    @classmethod
    def of(
        cls,
        code: PlanCode,
        message: str,
        experience: str | None = None,
        *,
        location: str | None = None,
    ) -> PlanWarning:
        """A finding with ``code``, at the severity the code has."""
        return cls(
            code=code.code,
            message=message,
            severity=code.severity,
            experience=experience,
            location=location,
        )


@dataclass(frozen=True, kw_only=True)
class ProductEntry(PlanValue):
    """What the Discovery API says of a product the plan shows."""

    name: str
    publisher: str
    available: bool


@dataclass(frozen=True, kw_only=True)
class Summary(PlanValue):
    create: int = 0
    update: int = 0
    unchanged: int = 0
    unmanaged: int = 0
    archive: int = 0
    products_allowed: int = 0
    products_denied: int = 0
    principals_added: int = 0
    principals_removed: int = 0
    change_sets: int = 0
    waves: int = 0
    unmanaged_governing: int = 0

    @property
    def has_changes(self) -> bool:
        return self.change_sets > 0

    @property
    def drifted(self) -> bool:
        """Live differs from the tree: changes to send, or an unmanaged experience governing
        accounts (which ``warn`` reports but never changes)."""
        return self.has_changes or self.unmanaged_governing > 0


@dataclass(frozen=True, kw_only=True)
class PlanOrigin(PlanValue):
    """Where a plan was made: the commit of the tree (when told) and whether against the
    sandbox. Both are shown first by every view, so a reviewer knows what they approve."""

    commit: str | None = None
    sandbox: bool = False


#: Members of the document left out when unset, so plans without them read as they always did.
_LEFT_OUT_UNSET = ("products", "via", "commit", "sandbox")


@dataclass(frozen=True, kw_only=True)
class Plan(PlanValue):
    """The whole plan. ``revisions`` holds ``id → revision`` of every live entity read, and
    ``live`` the values of every live experience read (what a stale plan is compared on)."""

    catalog: str
    caller: str = "management"
    directory: str | None = None
    experiences: tuple[ExperiencePlan, ...]
    waves: tuple[Wave, ...]
    revisions: dict[str, str]
    live_experiences: tuple[str, ...]
    live: dict[str, RecordedExperience] = field(default_factory=dict)
    warnings: tuple[PlanWarning, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    products: dict[str, ProductEntry] = field(default_factory=dict)
    #: Experience key → product → the set that brought it, for the products the plan shows.
    via: dict[str, dict[str, str]] = field(default_factory=dict)
    summary: Summary = Summary()
    commit: str | None = None
    sandbox: bool = False

    LEFT_OUT: ClassVar[tuple[str, ...]] = _LEFT_OUT_UNSET

    @property
    def has_changes(self) -> bool:
        return self.summary.has_changes

    @property
    def drifted(self) -> bool:
        return self.summary.drifted

    def guardrail_crossings(self) -> tuple[PlanWarning, ...]:
        return tuple(w for w in self.warnings if w.severity is Severity.ERROR)

    def product_findings(self) -> tuple[PlanWarning, ...]:
        """W401 and W402: what ``product_checks: error`` refuses."""
        failing = (codes.UNKNOWN_PRODUCT.code, codes.NOT_SUBSCRIBABLE.code)
        return tuple(w for w in self.warnings if w.code in failing)

    def digest(self) -> str:
        """A stable fingerprint of the whole plan: a saved plan edited by hand is refused."""
        return _digest_of(json_of(self))

    def to_document(self, *, recorded: bool = True) -> PlanDocument:
        """The plan as a document. Without ``recorded`` it is only for showing: the recorded
        live values (what apply compares, which no view shows; most of a large plan's size)
        are left out, and so is the digest over them (``live`` and ``digest`` are empty)."""
        exclude = () if recorded else ("live",)
        payload = members_of(self, leave_out=exclude)  # once: the live values are large
        digest = _digest_of(payload) if recorded else ""  # before the summary's derived members
        document: dict[str, Any] = {"format_version": FORMAT_VERSION, **payload}
        document.setdefault("live", {})
        document["summary"]["has_changes"] = self.has_changes
        document["summary"]["drift"] = self.drifted
        document["digest"] = digest
        return cast(PlanDocument, document)

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Plan:
        """Rebuild a saved plan; raises ValueError on another format version or a bad digest."""
        _check_format(document.get("format_version"))
        body = {k: v for k, v in document.items() if k not in ("format_version", "digest")}
        derived = ("has_changes", "drift")
        body["summary"] = {k: v for k, v in body["summary"].items() if k not in derived}
        plan = _read(body)
        if document.get("digest") != plan.digest():
            raise ValueError("plan digest does not match its content (the file was edited)")
        return plan


def _read(body: Mapping[str, Any]) -> Plan:
    """The plan a document describes; raises ValueError (pydantic's, which says where) when
    a member is missing, unknown or of the wrong type."""
    from pydantic import TypeAdapter  # only a saved plan read back is validated

    return TypeAdapter(Plan).validate_python(body)


def _digest_of(payload: Mapping[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_format(version: Any) -> None:
    """An older plan lacks what apply now needs (the live values it was made from)."""
    if version == FORMAT_VERSION:
        return
    if isinstance(version, int) and version < FORMAT_VERSION:
        raise ValueError(
            f"it has format_version {version}, written by an older pmp-reconcile; this one "
            f"applies format_version {FORMAT_VERSION} (which records the live values planned from)"
        )
    raise ValueError(f"format_version {version!r} is not {FORMAT_VERSION}")
