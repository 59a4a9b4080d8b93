"""Read the four PMP entity documents (DetailsDocument) into plain values.

Shapes per the Catalog API's PMP entity types. Policies may spread ids over several
statements and resources; they are flattened per effect. A product in both effects (not
expected) counts as denied, the safer reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from pmp_reconcile.catalog.vocabulary import (
    EXPERIENCE_TEXT_MEMBERS,
    branding_of,
    requests_of,
    status_of,
    text_of,
)
from pmp_reconcile.model import Branding, LiveEntity, RequestPolicy, Status

# AdminStatus of an experience that can be changed; anything else (the API shows the archived
# state through this field) reads as archived.
EDITABLE_ADMIN_STATUS = "Editable"


def live_entity(details: Mapping[str, Any]) -> LiveEntity:
    """``EntityIdentifier`` is ``id@revision``."""
    identifier = str(details["EntityIdentifier"])
    entity_id, _, revision = identifier.partition("@")
    return LiveEntity(id=entity_id, revision=revision or "0")


def document(details: Mapping[str, Any]) -> dict[str, Any]:
    body = details.get("DetailsDocument")
    return dict(body) if isinstance(body, Mapping) else {}


@dataclass(frozen=True)
class ExperienceDoc:
    name: str
    texts: dict[str, str | None]
    status: Status
    archived: bool
    policy_id: str | None
    branding_id: str | None


def experience(details: Mapping[str, Any]) -> ExperienceDoc:
    body = document(details)
    admin_status = body.get("AdminStatus") or EDITABLE_ADMIN_STATUS
    return ExperienceDoc(
        name=str(body.get("Name", "")),
        texts={field: text_of(body.get(m)) for field, m in EXPERIENCE_TEXT_MEMBERS.items()},
        status=status_of(body.get("Status")),
        archived=admin_status != EDITABLE_ADMIN_STATUS,
        policy_id=_first(body.get("ProcurementPolicies")),
        branding_id=_first(body.get("BrandingSettings")),
    )


def _first(ids: Any) -> str | None:
    return str(ids[0]) if isinstance(ids, list) and ids else None


@dataclass(frozen=True)
class PolicyDoc:
    requests: RequestPolicy
    allowed: frozenset[str]
    denied: frozenset[str]
    notes: dict[str, str] = field(default_factory=dict)


def procurement_policy(details: Mapping[str, Any]) -> PolicyDoc:
    body = document(details)
    by_effect: dict[str, set[str]] = {"Allow": set(), "Deny": set()}
    notes: dict[str, str] = {}
    for statement in body.get("Statements") or []:
        bucket = by_effect.setdefault(str(statement.get("Effect")), set())
        resources = statement.get("Resources") or []
        # Policies list thousands of resources: the ids of all of them in one pass, and only
        # those with notes walked one by one.
        bucket.update(map(str, chain.from_iterable(r.get("Ids") or () for r in resources)))
        for resource in [r for r in resources if r.get("Notes")]:
            ids = [str(i) for i in resource.get("Ids") or []]
            notes.update(dict.fromkeys(ids, str(resource["Notes"])))
    requests = (body.get("Configuration") or {}).get("PolicyResourceRequests")
    denied = frozenset(by_effect["Deny"])
    return PolicyDoc(
        requests=requests_of(requests),
        allowed=frozenset(by_effect["Allow"]) - denied,
        denied=denied,
        notes=notes,
    )


def branding(details: Mapping[str, Any]) -> Branding:
    return branding_of(document(details).get("Configuration") or {})


@dataclass(frozen=True)
class AudienceDoc:
    experience_id: str | None
    principals: frozenset[str]


def audience(details: Mapping[str, Any]) -> AudienceDoc:
    body = document(details)
    experience_id = body.get("ExperienceId")
    return AudienceDoc(
        experience_id=str(experience_id).partition("@")[0] if experience_id else None,
        principals=frozenset(str(p) for p in body.get("Principals") or []),
    )
