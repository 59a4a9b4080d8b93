"""The Catalog API's words for Private Marketplace, written once: everything else derives.

The twelve change types the planner sends, the entity type they target, and the mapping of
our enums and field names to the API's values. The builders (:mod:`changes`), the packer's
order, the executor and the IAM ``catalog:ChangeType`` condition all read :class:`ChangeType`,
so a change type cannot be sent without also being allowed (tests check each derivation). Only
the model sits below: this module must stay importable from every layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from enum import StrEnum
from types import MappingProxyType

from pmp_reconcile.model import Branding, RequestPolicy, Status

CATALOG = "AWSMarketplace"
EXPERIENCE_TYPE = "Experience@1.0"


class ChangeType(StrEnum):
    """Every StartChangeSet change type this tool sends; all target ``Experience@1.0``."""

    CREATE_EXPERIENCE = "CreateExperience"
    UPDATE_EXPERIENCE = "UpdateExperience"
    RESTRICT_EXPERIENCE = "RestrictExperience"
    REVIVE_EXPERIENCE = "ReviveExperience"
    CREATE_PROCUREMENT_POLICY = "CreateProcurementPolicy"
    UPDATE_PROCUREMENT_POLICY = "UpdateProcurementPolicy"
    CREATE_BRANDING_SETTINGS = "CreateBrandingSettings"
    UPDATE_BRANDING_SETTINGS = "UpdateBrandingSettings"
    ASSOCIATE_AUDIENCE = "AssociateAudience"
    DISASSOCIATE_AUDIENCE = "DisassociateAudience"
    ALLOW_PRODUCT_PROCUREMENT = "AllowProductProcurement"
    DENY_PRODUCT_PROCUREMENT = "DenyProductProcurement"


#: :data:`~pmp_reconcile.model.EXPERIENCE_TEXTS` → members of the Experience Details.
EXPERIENCE_TEXT_MEMBERS: Mapping[str, str] = MappingProxyType({"description": "Description"})
#: ``Status`` of an Experience entity, as the API spells it.
STATUS_WIRE: Mapping[Status, str] = MappingProxyType(
    {Status.ENABLED: "Enabled", Status.DISABLED: "Disabled"}
)
#: ``Configuration.PolicyResourceRequests`` of a procurement policy.
REQUESTS_WIRE: Mapping[RequestPolicy, str] = MappingProxyType(
    {RequestPolicy.ALLOW: "Allow", RequestPolicy.DENY: "Deny"}
)
#: :class:`~pmp_reconcile.model.Branding` fields → members of a BrandingSettings Configuration.
BRANDING_MEMBERS: Mapping[str, str] = MappingProxyType(
    {
        "title": "Title",
        "information": "Information",
        "theme_color": "ThemeColor",
        "logo_url": "LogoUrl",
    }
)
#: The branding fields in the order files and plans show them (the model's order).
BRANDING_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Branding))


def status_of(wire: object) -> Status:
    """The API's experience Status; anything but ``Enabled`` governs nobody (disabled)."""
    return Status.ENABLED if wire == STATUS_WIRE[Status.ENABLED] else Status.DISABLED


def requests_of(wire: object) -> RequestPolicy:
    """The API's PolicyResourceRequests; only ``Deny`` refuses requests (AWS's default allows)."""
    return RequestPolicy.DENY if wire == REQUESTS_WIRE[RequestPolicy.DENY] else RequestPolicy.ALLOW


def branding_of(configuration: Mapping[str, object]) -> Branding:
    """A BrandingSettings Configuration → :class:`Branding` (absent members are None)."""
    return Branding(
        **{field: text_of(configuration.get(member)) for field, member in BRANDING_MEMBERS.items()}
    )


def text_of(wire: object) -> str | None:
    """A text member of a Details document: None when absent, otherwise read as text."""
    return None if wire is None else str(wire)
