"""The plan document's shape as types: what views may read from ``Plan.to_document()``.

The document is the public contract (docs/plan-format.md); these TypedDicts let mypy hold
every view to it, so a view cannot read a key the document does not have. ``changes`` stay
untyped: they are StartChangeSet elements, shown but never interpreted by views. (No
postponed annotations here: TypedDict must see ``NotRequired`` to know an optional key.)
"""

from typing import Any, NotRequired, TypedDict


class FieldChangeDocument(TypedDict):
    field: str
    before: str | None
    after: str | None


class ActionDocument(TypedDict):
    kind: str
    reason: str
    items: list[str]
    before: str | None
    after: str | None
    high_impact: bool
    fields: NotRequired[list[FieldChangeDocument]]
    notes: NotRequired[dict[str, str]]


class ExperienceDocument(TypedDict):
    key: str | None
    name: str
    id: str | None
    file: str | None
    status: str
    actions: list[ActionDocument]


class ChangeSetDocument(TypedDict):
    name: str
    changes: list[dict[str, Any]]
    needs_created: NotRequired[str]


class ChainDocument(TypedDict):
    experience: str
    change_sets: list[ChangeSetDocument]


class WaveDocument(TypedDict):
    index: int
    purpose: str
    chains: list[ChainDocument]


class WarningDocument(TypedDict):
    code: str
    message: str
    severity: str
    experience: str | None
    location: NotRequired[str]


class ProductDocument(TypedDict):
    name: str
    publisher: str
    available: bool


class RecordedBrandingDocument(TypedDict):
    title: NotRequired[str]
    information: NotRequired[str]
    theme_color: NotRequired[str]
    logo_url: NotRequired[str]


class RecordedDocument(TypedDict):
    """One live experience as planned from; empty members are left out."""

    name: str
    status: str
    description: NotRequired[str]
    archived: NotRequired[bool]
    software_requests: NotRequired[str]
    principals: NotRequired[list[str]]
    allowed: NotRequired[list[str]]
    denied: NotRequired[list[str]]
    notes: NotRequired[dict[str, str]]
    branding: NotRequired[RecordedBrandingDocument]


class SummaryDocument(TypedDict):
    create: int
    update: int
    unchanged: int
    unmanaged: int
    archive: int
    products_allowed: int
    products_denied: int
    principals_added: int
    principals_removed: int
    change_sets: int
    waves: int
    unmanaged_governing: int
    has_changes: bool
    drift: bool


class PlanDocument(TypedDict):
    format_version: int
    catalog: str
    caller: str
    directory: str | None
    experiences: list[ExperienceDocument]
    waves: list[WaveDocument]
    revisions: dict[str, str]
    live_experiences: list[str]
    live: dict[str, RecordedDocument]
    warnings: list[WarningDocument]
    aliases: dict[str, str]
    products: NotRequired[dict[str, ProductDocument]]
    via: NotRequired[dict[str, dict[str, str]]]
    summary: SummaryDocument
    commit: NotRequired[str]
    sandbox: NotRequired[bool]
    digest: str
