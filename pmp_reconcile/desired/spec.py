"""What each file of the desired-state tree says, as plain values, and the limits it must keep.

A file that passed its checks is one of these values, whichever way it was checked: by the
quick check (:mod:`quick_check`) for the usual valid file, or by the pydantic models of
:mod:`schema` (which also give the JSON Schema and the messages of a file that fails). Each
class here has the schema model of the same name, with the same fields, so the rest of the
loader never depends on which check ran, nor waits for pydantic to load.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pmp_reconcile.model import (
    ACCOUNT_ID_RE,
    EXPERIENCE_ID_RE,
    ORGANIZATION_ID_RE,
    OU_ID_RE,
    Branding,
    Guardrails,
)

NAME_PATTERN = r"^[a-zA-Z0-9 _-]{1,50}$"
EXPERIENCE_ID_PATTERN = EXPERIENCE_ID_RE.pattern
ORGANIZATION_PATTERN = ORGANIZATION_ID_RE.pattern
PRINCIPAL_PATTERN = "^({})$".format(
    "|".join(r.pattern.strip("^$") for r in (ACCOUNT_ID_RE, OU_ID_RE, ORGANIZATION_ID_RE))
)
COLOR_PATTERN = r"^#[0-9A-Fa-f]{6}$"
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
ALIAS_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
#: A relative path to a YAML file (it may climb out of the tree: that is what it is for).
INCLUDE_PATTERN = r"^[^/\\~][^\\]*\.ya?ml$"
MAX_KEY = 64
MAX_REFERENCE = 50
KEY_PATTERN = rf"^[a-z0-9][a-z0-9_-]{{0,{MAX_KEY - 1}}}$"
#: Lengths (fewest, most characters) of the texts that have one.
NOTES_LENGTH = (1, 50)
TITLE_LENGTH = (1, 50)
TEXT_LENGTH = (1, 1000)
MAX_URL = 2048
MAX_INCLUDE = 1024
STATUSES = ("enabled", "disabled")
REQUEST_POLICIES = ("allow", "deny")
CALLERS = ("management", "delegated-admin")
UNMANAGED_POLICIES = ("ignore", "warn", "archive")
PRODUCT_CHECKS = ("warn", "error", "off")
DEFAULT_RAILS = Guardrails()


@dataclass(frozen=True)
class ProductWithNotes:
    """A product with a note recorded beside the decision (the API keeps it)."""

    id: str
    notes: str | None = None


@dataclass(frozen=True)
class SetReference:
    """Every product of a set (and of the sets inside it), by the set's name."""

    set: str


#: One entry of a product list: an id or alias, the same with notes, or a set.
ProductEntry = str | ProductWithNotes | SetReference


@dataclass(frozen=True)
class Products:
    allow: list[ProductEntry] = field(default_factory=list)
    deny: list[ProductEntry] = field(default_factory=list)


#: A file's branding is the domain's own value (a None member: left as it is live).
BrandingFile = Branding


@dataclass(frozen=True, kw_only=True)
class ExperienceFile:
    """``experiences/<key>.yaml``: one private marketplace experience."""

    name: str
    description: str | None = None
    id: str | None = None
    status: str = "disabled"
    archived: bool = False
    software_requests: str = "allow"
    principals: list[str] = field(default_factory=list)
    products: Products = field(default_factory=Products)
    branding: BrandingFile | None = None


@dataclass(frozen=True)
class ProductsFile:
    """``products.yaml`` (and the files ``pmp.yaml`` includes): aliases and sets."""

    products: dict[str, str] = field(default_factory=dict)
    sets: dict[str, list[ProductEntry]] = field(default_factory=dict)


@dataclass(frozen=True)
class GuardrailsFile:
    max_product_removals: int = DEFAULT_RAILS.max_product_removals
    max_principal_removals: int = DEFAULT_RAILS.max_principal_removals
    protected: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SettingsFile:
    """``pmp.yaml``: how the tree is reconciled."""

    version: int = 1
    organization_id: str | None = None
    caller: str = "management"
    unmanaged_experiences: str = "warn"
    guardrails: GuardrailsFile = field(default_factory=GuardrailsFile)
    include: list[str] = field(default_factory=list)
    product_checks: str = "warn"


#: Every kind of tree file, as its value.
FileValue = ExperienceFile | ProductsFile | SettingsFile
