"""What each of the twelve change types does to the entities, and when it fails.

Business failures are not validation errors: they end the change set FAILED with
``CLIENT_ERROR`` and an ``ErrorDetailList`` entry on the change, using the codes and messages
AWS documents. :class:`Effects` journals every entity it touches, so a change set can be
rolled back as a whole (atomic mode).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from pmp_reconcile.sandbox.entities import AUDIENCE, BRANDING, POLICY, Entities, Entity
from pmp_reconcile.sandbox.options import StateOptions
from pmp_reconcile.sandbox.validation import Change

EDITABLE = "Editable"
RESTRICTED = "Restricted"
POLICY_MISSING = "Procurement policy missing from Experience"
POLICY_EXISTS = "Procurement policy exists for Experience"
BRANDING_MISSING = "Branding settings missing from Experience"
BRANDING_EXISTS = "Branding settings exists for Experience"
ALREADY_ASSOCIATED = (
    "An experience is already associated with the account {}. "
    "Disassociate previous experience before updating"
)
IN_USE = (
    "There is already a conflicting change in progress for the selected account. Try again later"
)
NOT_AUTHORIZED = "Caller not authorized to execute the action"
INVALID_URL = "Image could not be fetched from the input URL"
INVALID_IMAGE = (
    "Image verification for type, content, or file size failed. Only .png and .svg file types "
    "with sizes less than or equal to 500KB are supported."
)
#: Change types an archived experience still accepts (revive it; let its principals go).
ARCHIVED_ALLOWS = ("ReviveExperience", "DisassociateAudience")


class ChangeFailure(Exception):
    """One change failed for a business reason: ``errors`` are its ErrorDetailList."""

    def __init__(self, code: str, message: str, *more: tuple[str, str]) -> None:
        super().__init__(message)
        self.errors = [{"ErrorCode": c, "ErrorMessage": m} for c, m in ((code, message), *more)]


@dataclass
class Effects:
    """Applies changes for one change set; ``rollback`` undoes everything it did."""

    entities: Entities
    options: StateOptions
    now: datetime
    busy: Callable[[str], bool] = lambda principal: False
    before: dict[str, str] = field(default_factory=dict)
    _saved: dict[str, Entity | None] = field(default_factory=dict)

    def apply(self, change: Change, experience: Entity | None) -> Entity:
        """Apply one change; returns the experience it targeted (created for a create)."""
        if experience is None:
            return self._create_experience(change.details)
        archived = experience.document.get("AdminStatus") == RESTRICTED
        if archived and change.change_type not in ARCHIVED_ALLOWS:
            raise ChangeFailure("INVALID_STATE", "Experience is archived; revive it first")
        self._journal(experience)
        HANDLERS[change.change_type](self, experience, change.details)
        experience.touch(self.now)
        return experience

    def rollback(self) -> None:
        for entity_id, saved in self._saved.items():
            if saved is None:
                self.entities.by_id.pop(entity_id, None)
            else:
                self.entities.by_id[entity_id] = saved
        self._saved.clear()

    def _journal(self, entity: Entity) -> None:
        if entity.entity_id not in self._saved:
            self._saved[entity.entity_id] = copy.deepcopy(entity)

    def _new(self, entity_type: str, document: dict[str, Any]) -> Entity:
        entity = self.entities.create(entity_type, document, self.now)
        self._saved[entity.entity_id] = None
        return entity

    def _child(self, experience: Entity, key: str) -> Entity | None:
        ids = experience.document.get(key) or []
        child = self.entities.get(ids[0]) if ids else None
        if child is not None:
            self._journal(child)
        return child

    def _touch(self, entity: Entity) -> None:
        entity.touch(self.now)

    # -- experience ---------------------------------------------------------------------

    def _create_experience(self, details: dict[str, Any]) -> Entity:
        document: dict[str, Any] = _named(details)
        document.update(
            Status="Disabled", AdminStatus=EDITABLE, ProcurementPolicies=[], BrandingSettings=[]
        )
        return self._new("Experience", document)

    def _update_experience(self, experience: Entity, details: dict[str, Any]) -> None:
        experience.document.update(details)

    def _restrict_experience(self, experience: Entity, _: dict[str, Any]) -> None:
        if experience.document.get("Status") != "Disabled":
            raise ChangeFailure(
                "INVALID_STATE", "Experience must be disabled before it is archived"
            )
        experience.document["AdminStatus"] = RESTRICTED

    def _revive_experience(self, experience: Entity, _: dict[str, Any]) -> None:
        if experience.document.get("AdminStatus") != RESTRICTED:
            raise ChangeFailure("INVALID_STATE", "Experience is not archived")
        experience.document["AdminStatus"] = EDITABLE

    # -- procurement policy -------------------------------------------------------------

    def _create_procurement_policy(self, experience: Entity, details: dict[str, Any]) -> None:
        if experience.document.get("ProcurementPolicies"):
            raise ChangeFailure("ENTITY_ALREADY_EXISTS", POLICY_EXISTS)
        document = _named(details)
        document["Statements"] = []
        document["Configuration"] = dict(
            details.get("Configuration") or {"PolicyResourceRequests": "Allow"}
        )
        policy = self._new(POLICY, document)
        experience.document["ProcurementPolicies"] = [policy.entity_id]

    def _update_procurement_policy(self, experience: Entity, details: dict[str, Any]) -> None:
        policy = self._child(experience, "ProcurementPolicies")
        if policy is None:
            raise ChangeFailure("ENTITY_NOT_FOUND", POLICY_MISSING)
        policy.document.update(details)
        self._touch(policy)

    def _allow_product_procurement(self, experience: Entity, details: dict[str, Any]) -> None:
        self._decide(experience, details, "Allow")

    def _deny_product_procurement(self, experience: Entity, details: dict[str, Any]) -> None:
        self._decide(experience, details, "Deny")

    def _decide(self, experience: Entity, details: dict[str, Any], effect: str) -> None:
        policy = self._child(experience, "ProcurementPolicies")
        if policy is None:
            raise ChangeFailure("ENTITY_NOT_FOUND", POLICY_MISSING)
        decisions = read_decisions(policy.document)
        for product in details["Products"]:
            for product_id in product["Ids"]:
                decisions.pop(product_id, None)
                decisions[product_id] = (effect, product.get("Notes"))
        policy.document["Statements"] = statements(decisions)
        self._touch(policy)

    # -- branding -----------------------------------------------------------------------

    def _create_branding_settings(self, experience: Entity, details: dict[str, Any]) -> None:
        if experience.document.get("BrandingSettings"):
            raise ChangeFailure("ENTITY_ALREADY_EXISTS", BRANDING_EXISTS)
        _check_logo(details)
        document = _named(details)
        document["Configuration"] = dict(details.get("Configuration") or {})
        branding = self._new(BRANDING, document)
        experience.document["BrandingSettings"] = [branding.entity_id]

    def _update_branding_settings(self, experience: Entity, details: dict[str, Any]) -> None:
        branding = self._child(experience, "BrandingSettings")
        if branding is None:
            raise ChangeFailure("ENTITY_NOT_FOUND", BRANDING_MISSING)
        _check_logo(details)
        branding.document.update(_named(details))
        configuration = dict(branding.document.get("Configuration") or {})
        configuration.update(details.get("Configuration") or {})
        branding.document["Configuration"] = configuration
        self._touch(branding)

    # -- audiences ----------------------------------------------------------------------

    def _associate_audience(self, experience: Entity, details: dict[str, Any]) -> None:
        owners = principal_owners(self.entities)
        failures = [self._refusal(p, experience.entity_id, owners) for p in details["Principals"]]
        refused = [f for f in failures if f is not None]
        if refused:
            raise ChangeFailure(*refused[0], *refused[1:])
        new = [p for p in details["Principals"] if p not in owners]
        if new:
            self._audience_for(experience, details, new)

    def _refusal(
        self, principal: str, experience_id: str, owners: dict[str, tuple[str, str]]
    ) -> tuple[str, str] | None:
        organization = self.options.organization_id
        if organization and principal.startswith("o-") and principal != organization:
            return ("CALLER_NOT_AUTHORIZED", NOT_AUTHORIZED)
        if self.busy(principal):
            return ("ENTITY_IN_USE", IN_USE)
        current = owners.get(principal, ("", ""))[0] or experience_id
        earlier = self.before.get(principal, experience_id)
        moved = not self.options.allow_move_in_one_change_set and earlier != experience_id
        if current != experience_id or moved:
            return ("ENTITY_ALREADY_EXISTS", ALREADY_ASSOCIATED.format(principal))
        return None

    def _audience_for(self, experience: Entity, details: dict[str, Any], new: list[str]) -> None:
        per_experience = self.options.audiences == "per_experience"
        existing = audiences_of(self.entities, experience.entity_id) if per_experience else []
        if existing:
            audience = existing[0]
            self._journal(audience)
            audience.document.update(_named(details))
            audience.document["Principals"] = [*audience.document["Principals"], *new]
            self._touch(audience)
            return
        document = _named(details)
        document.update(ExperienceId=experience.entity_id, Principals=new)
        self._new(AUDIENCE, document)

    def _disassociate_audience(self, experience: Entity, details: dict[str, Any]) -> None:
        owners = principal_owners(self.entities)
        errors = [
            ("ENTITY_NOT_FOUND", f"The account {p} is not associated with the experience")
            for p in details["Principals"]
            if owners.get(p, ("", ""))[0] != experience.entity_id
        ]
        errors += [("ENTITY_IN_USE", IN_USE) for p in details["Principals"] if self.busy(p)]
        if errors:
            raise ChangeFailure(*errors[0], *errors[1:])
        leaving = set(details["Principals"])
        for audience_id in sorted({owners[p][1] for p in leaving}):
            audience = self.entities.by_id[audience_id]
            self._journal(audience)
            kept = [p for p in audience.document["Principals"] if p not in leaving]
            audience.document["Principals"] = kept
            self._touch(audience)


Handler = Callable[["Effects", Entity, dict[str, Any]], None]

#: The method applying each change type other than CreateExperience (typed, so mypy checks
#: every entry against the methods' signatures).
HANDLERS: dict[str, Handler] = {
    "UpdateExperience": Effects._update_experience,
    "RestrictExperience": Effects._restrict_experience,
    "ReviveExperience": Effects._revive_experience,
    "CreateProcurementPolicy": Effects._create_procurement_policy,
    "UpdateProcurementPolicy": Effects._update_procurement_policy,
    "AllowProductProcurement": Effects._allow_product_procurement,
    "DenyProductProcurement": Effects._deny_product_procurement,
    "CreateBrandingSettings": Effects._create_branding_settings,
    "UpdateBrandingSettings": Effects._update_branding_settings,
    "AssociateAudience": Effects._associate_audience,
    "DisassociateAudience": Effects._disassociate_audience,
}


def _named(details: dict[str, Any]) -> dict[str, Any]:
    return {k: details[k] for k in ("Name", "Description") if k in details}


def _check_logo(details: dict[str, Any]) -> None:
    """The sandbox fetches nothing: ``.invalid`` hosts are unreachable, only .png/.svg pass."""
    url = (details.get("Configuration") or {}).get("LogoUrl")
    if url is None:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host or host == "invalid" or host.endswith(".invalid"):
        raise ChangeFailure("INVALID_URL", INVALID_URL)
    if not parts.path.lower().endswith((".png", ".svg")):
        raise ChangeFailure("INVALID_IMAGE", INVALID_IMAGE)


def audiences_of(entities: Entities, experience_id: str) -> list[Entity]:
    return [
        a for a in entities.of_type(AUDIENCE) if a.document.get("ExperienceId") == experience_id
    ]


def principal_owners(entities: Entities) -> dict[str, tuple[str, str]]:
    """Each directly associated principal → (experience id, audience id)."""
    owners: dict[str, tuple[str, str]] = {}
    for audience in entities.of_type(AUDIENCE):
        for principal in audience.document.get("Principals") or []:
            owners[principal] = (str(audience.document["ExperienceId"]), audience.entity_id)
    return owners


Decisions = dict[str, tuple[str, str | None]]


def read_decisions(document: dict[str, Any]) -> Decisions:
    """A policy's Statements as product id → (effect, notes), in the order they appear."""
    decisions: Decisions = {}
    for statement in document.get("Statements") or []:
        for resource in statement.get("Resources") or []:
            for product_id in resource.get("Ids") or []:
                decisions[product_id] = (statement["Effect"], resource.get("Notes"))
    return decisions


def statements(decisions: Decisions) -> list[dict[str, Any]]:
    """One Allow and one Deny statement (when not empty), one resource per product id."""
    result = []
    for effect in ("Allow", "Deny"):
        resources = []
        for product_id, (decided, notes) in decisions.items():
            if decided == effect:
                resource: dict[str, Any] = {"Type": "Product", "Ids": [product_id]}
                if notes is not None:
                    resource["Notes"] = notes
                resources.append(resource)
        if resources:
            result.append({"Effect": effect, "Resources": resources})
    return result
