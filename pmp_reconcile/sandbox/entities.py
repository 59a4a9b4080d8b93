"""PMP entities as the service keeps them: a typed id, a revision and a details document.

Entities are never deleted (AWS has no delete change type). Every change that touches an
entity bumps its revision and LastModifiedDate; ``EntityIdentifier`` is ``id@revision``.
"""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pmp_reconcile.sandbox.clock import iso, parse_iso

VERSION = "1.0"
EXPERIENCE = "Experience"
POLICY = "ProcurementPolicy"
BRANDING = "BrandingSettings"
AUDIENCE = "Audience"
ENTITY_TYPES = (EXPERIENCE, AUDIENCE, POLICY, BRANDING)
PREFIXES = {EXPERIENCE: "exp", POLICY: "procpolicy", BRANDING: "brandsettings", AUDIENCE: "aud"}
_ALPHABET = string.ascii_lowercase + string.digits


def random_id(length: int) -> str:
    """Lowercase letters and digits, the alphabet of AWS's entity and change-set ids."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


@dataclass
class Entity:
    """One entity; ``document`` is exactly its DetailsDocument."""

    entity_type: str
    entity_id: str
    revision: int
    modified: datetime
    document: dict[str, Any]

    @property
    def identifier(self) -> str:
        return f"{self.entity_id}@{self.revision}"

    @property
    def typed(self) -> str:
        """The versioned type, e.g. ``Experience@1.0``."""
        return f"{self.entity_type}@{VERSION}"

    def touch(self, now: datetime) -> None:
        """Record one more change."""
        self.revision += 1
        self.modified = now

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.entity_type,
            "id": self.entity_id,
            "revision": self.revision,
            "modified": self.modified.isoformat(),
            "document": self.document,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        if data["type"] not in ENTITY_TYPES:
            raise ValueError(f"unknown entity type {data['type']!r}")
        return cls(
            entity_type=str(data["type"]),
            entity_id=str(data["id"]),
            revision=int(data["revision"]),
            modified=parse_iso(str(data["modified"])),
            document=dict(data["document"]),
        )


class Entities:
    """All entities of one marketplace, by id, plus their ARNs and wire shapes."""

    def __init__(self, account: str, region: str) -> None:
        self.account = account
        self.region = region
        self.by_id: dict[str, Entity] = {}

    def create(self, entity_type: str, document: dict[str, Any], now: datetime) -> Entity:
        """A new entity at revision 1 with a fresh id."""
        while True:
            entity_id = f"{PREFIXES[entity_type]}-{random_id(13)}"
            if entity_id not in self.by_id:
                break
        entity = Entity(entity_type, entity_id, 1, now, document)
        self.by_id[entity_id] = entity
        return entity

    def get(self, entity_id: str) -> Entity | None:
        return self.by_id.get(entity_id)

    def of_type(self, entity_type: str) -> list[Entity]:
        return [e for e in self.by_id.values() if e.entity_type == entity_type]

    def arn(self, entity: Entity) -> str:
        return (
            f"arn:aws:aws-marketplace:{self.region}:{self.account}:AWSMarketplace/"
            f"{entity.entity_type}/{entity.entity_id}"
        )

    def by_arn(self, arn: str) -> Entity | None:
        prefix = f"arn:aws:aws-marketplace:{self.region}:{self.account}:AWSMarketplace/"
        if not arn.startswith(prefix):
            return None
        entity_type, _, entity_id = arn[len(prefix) :].partition("/")
        entity = self.by_id.get(entity_id)
        return entity if entity is not None and entity.entity_type == entity_type else None

    def described(self, entity: Entity, legacy: bool = True) -> dict[str, Any]:
        """DescribeEntity's output (``legacy``: with the ``Details`` string too)."""
        reply: dict[str, Any] = {
            "EntityType": entity.typed,
            "EntityIdentifier": entity.identifier,
            "EntityArn": self.arn(entity),
            "LastModifiedDate": iso(entity.modified),
            "DetailsDocument": entity.document,
        }
        if legacy:
            reply["Details"] = json.dumps(entity.document, separators=(",", ":"))
        return reply

    def summary(self, entity: Entity) -> dict[str, Any]:
        """ListEntities' EntitySummary (the bare type name, as in AWS's examples)."""
        reply: dict[str, Any] = {
            "EntityType": entity.entity_type,
            "EntityId": entity.entity_id,
            "EntityArn": self.arn(entity),
            "LastModifiedDate": iso(entity.modified),
        }
        name = entity.document.get("Name")
        if name is not None:
            reply["Name"] = name
        return reply
