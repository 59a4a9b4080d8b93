"""The file formats of the desired-state tree as pydantic models (and so as JSON Schema).

These models check shape, types, enums, lengths and id formats of one file at a time (each
has the plain value of the same name in :mod:`spec`, which the loader works with); what
needs several files (aliases, uniqueness across experiences) lives in :mod:`rules`. Strict
mode keeps YAML's guesses honest: an unquoted account id is a number, not a string. The id
patterns come from :mod:`pmp_reconcile.model`, so the loader and the live reader agree.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

from pmp_reconcile.desired import spec
from pmp_reconcile.desired.spec import (
    ALIAS_PATTERN,
    COLOR_PATTERN,
    DEFAULT_RAILS,
    EXPERIENCE_ID_PATTERN,
    INCLUDE_PATTERN,
    MAX_INCLUDE,
    MAX_REFERENCE,
    MAX_URL,
    NAME_PATTERN,
    NOTES_LENGTH,
    ORGANIZATION_PATTERN,
    PRINCIPAL_PATTERN,
    TEXT_LENGTH,
    TITLE_LENGTH,
    URL_PATTERN,
)


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


ProductReference = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_REFERENCE,
        description="A product id (UUID, prod-…, prodview-…) or an alias from products.yaml.",
    ),
]


class ProductWithNotes(_File):
    """A product with a note recorded beside the decision (the API keeps it)."""

    id: ProductReference
    notes: str | None = Field(
        None,
        min_length=NOTES_LENGTH[0],
        max_length=NOTES_LENGTH[1],
        description="Why it is allowed or denied (1-50).",
    )


SetName = Annotated[
    str,
    Field(
        pattern=ALIAS_PATTERN,
        description="A set from products.yaml (lowercase, like an alias).",
    ),
]


class SetReference(_File):
    """Every product of a set (and of the sets inside it), by the set's name."""

    set: SetName


def _product_shape(value: Any) -> str:
    if isinstance(value, dict):
        return "set_reference" if "set" in value else "long"
    return "short"


ProductEntry = Annotated[
    Annotated[ProductReference, Tag("short")]
    | Annotated[SetReference, Tag("set_reference")]
    | Annotated[ProductWithNotes, Tag("long")],
    Discriminator(_product_shape),
]


class Products(_File):
    """What the experience's audience may procure."""

    allow: list[ProductEntry] = Field(
        default_factory=list,
        description="The whole truth: live products not listed get denied.",
    )
    deny: list[ProductEntry] = Field(
        default_factory=list, description="Products denied explicitly (recorded decisions)."
    )


class BrandingFile(_File):
    """Omitted members are left as they are live (the API cannot clear them)."""

    title: str | None = Field(
        None,
        min_length=TITLE_LENGTH[0],
        max_length=TITLE_LENGTH[1],
        description="Marketplace title (1-50 characters).",
    )
    information: str | None = Field(
        None,
        min_length=TEXT_LENGTH[0],
        max_length=TEXT_LENGTH[1],
        description="Text shown to buyers (1-1000).",
    )
    theme_color: str | None = Field(None, pattern=COLOR_PATTERN, description="#RRGGBB")
    logo_url: str | None = Field(
        None,
        max_length=MAX_URL,
        pattern=URL_PATTERN,
        description="http(s) URL of a png or svg logo (≤ 500 KB; at most 2048 characters).",
    )


Principal = Annotated[
    str,
    Field(
        pattern=PRINCIPAL_PATTERN,
        description="An account id (quote it), an OU id (ou-…) or the organization id (o-…).",
    ),
]


class ExperienceFile(_File):
    """``experiences/<key>.yaml``: one private marketplace experience."""

    name: str = Field(pattern=NAME_PATTERN, description="1-50 letters, digits, space, _ and -.")
    description: str | None = Field(
        None,
        min_length=TEXT_LENGTH[0],
        max_length=TEXT_LENGTH[1],
        description="Omitted = left as it is live.",
    )
    id: str | None = Field(
        None, pattern=EXPERIENCE_ID_PATTERN, description="Pins a live experience (exp-…)."
    )
    status: Literal["enabled", "disabled"] = Field(
        "disabled", description="Live or not live (AWS creates experiences disabled)."
    )
    archived: bool = Field(False, description="Archive it (it must be disabled).")
    software_requests: Literal["allow", "deny"] = Field(
        "allow", description="Whether users may request products that are not allowed."
    )
    principals: list[Principal] = Field(
        default_factory=list, description="Who this experience governs: the whole truth."
    )
    products: Products = Field(
        default_factory=Products, description="Allowed and denied products (ids or aliases)."
    )
    branding: BrandingFile | None = Field(None, description="Omitted = left as it is live.")


Alias = Annotated[str, Field(pattern=ALIAS_PATTERN)]


class ProductsFile(_File):
    """``products.yaml`` (and the files ``pmp.yaml`` includes): aliases and sets of products."""

    products: dict[Alias, ProductReference] = Field(
        default_factory=dict, description="Alias (lowercase) → product id; one alias per id."
    )
    sets: dict[Alias, list[ProductEntry]] = Field(
        default_factory=dict,
        description="Set name (lowercase, not an alias) → products: ids, aliases, "
        "{id, notes} and other sets ({set: NAME}).",
    )


IncludePath = Annotated[str, Field(min_length=1, max_length=MAX_INCLUDE, pattern=INCLUDE_PATTERN)]


class GuardrailsFile(_File):
    """Limits a plan may not cross unless apply gets --allow-destructive."""

    max_product_removals: int = Field(
        DEFAULT_RAILS.max_product_removals,
        ge=0,
        description="Products newly denied in one run, over all experiences.",
    )
    max_principal_removals: int = Field(
        DEFAULT_RAILS.max_principal_removals,
        ge=0,
        description="Principals disassociated in one run.",
    )
    protected: list[str] = Field(
        default_factory=list,
        description="Experience keys that may not be disabled, archived or lose principals.",
    )


class SettingsFile(_File):
    """``pmp.yaml``: how the tree is reconciled."""

    version: Literal[1] = Field(1, description="Format version of the tree.")
    organization_id: str | None = Field(
        None,
        pattern=ORGANIZATION_PATTERN,
        description="Guard: refuse to plan or apply against another organization.",
    )
    caller: Literal["management", "delegated-admin"] = Field(
        "management", description="Which account runs the tool."
    )
    unmanaged_experiences: Literal["ignore", "warn", "archive"] = Field(
        "warn", description="What to do with live experiences that no file describes."
    )
    guardrails: GuardrailsFile = Field(default_factory=GuardrailsFile)
    include: list[IncludePath] = Field(
        default_factory=list,
        description="Other products files (paths relative to this tree) whose aliases and sets "
        "join the tree's, e.g. ../../common/products.yaml.",
    )
    product_checks: Literal["warn", "error", "off"] = Field(
        "warn",
        description="Products the Discovery API does not know or that are closed to new "
        "subscriptions: warn, error (plan exits 1, apply sends nothing), or off (no lookup: "
        "plans show ids only).",
    )

    @field_validator("product_checks", mode="before")
    @classmethod
    def _unquoted_off(cls, value: object) -> object:
        """YAML reads a bare ``off`` as false: that is what the user wrote."""
        return "off" if value is False else value


#: The model that checks each kind of file (the plain value of the same name).
SCHEMA_OF: dict[type[Any], type[BaseModel]] = {
    spec.ExperienceFile: ExperienceFile,
    spec.ProductsFile: ProductsFile,
    spec.SettingsFile: SettingsFile,
}


def plain(value: Any) -> Any:
    """A checked model as its plain value (:mod:`spec`'s class of the same name), with its
    lists and mappings of models converted too."""
    if isinstance(value, BaseModel):
        kind = getattr(spec, type(value).__name__)
        return kind(**{name: plain(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


#: Each file of the tree that has a JSON Schema, by the name ``schema --file`` takes.
SCHEMA_FILES: dict[str, tuple[type[BaseModel], str]] = {
    "experience": (ExperienceFile, "pmp-reconcile experience"),
    "products": (ProductsFile, "pmp-reconcile products"),
    "settings": (SettingsFile, "pmp-reconcile settings"),
}


def json_schema(file: str) -> dict[str, Any]:
    """The JSON Schema of one kind of tree file, for editors (yaml-language-server)."""
    model, title = SCHEMA_FILES[file]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema


def experience_json_schema() -> dict[str, Any]:
    """The JSON Schema of an experience file."""
    return json_schema("experience")
