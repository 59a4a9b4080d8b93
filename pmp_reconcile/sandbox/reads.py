"""The read operations: ListEntities, DescribeEntity, BatchDescribeEntities, ListChangeSets.

Each takes the marketplace's parts and the request parameters and returns the output shape
botocore expects. Visibility follows the PMP docs: the owner sees its entities and change sets
directly; a delegated administrator sees them only with ``Scope=SharedWithMe``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from pmp_reconcile.sandbox.changesets import STATUSES, ChangeSet
from pmp_reconcile.sandbox.clock import parse_iso
from pmp_reconcile.sandbox.entities import ENTITY_TYPES, Entities, Entity
from pmp_reconcile.sandbox.errors import ResourceNotFoundException, ValidationException
from pmp_reconcile.sandbox.queries import filters, ordered, page, sort_spec

RESOURCE_ID = re.compile(r"^[\w-]{1,255}$")
BATCH_ENTITY_ID = re.compile(r"^[a-zA-Z0-9][.a-zA-Z0-9/-]+[a-zA-Z0-9]$")
SHARED = "SharedWithMe"
MAX_BATCH = 20
CHANGE_SET_FILTERS = (
    "ChangeSetName",
    "Status",
    "EntityId",
    "BeforeStartTime",
    "AfterStartTime",
    "BeforeEndTime",
    "AfterEndTime",
    "Scope",
)


def wants_shared(chosen: dict[str, list[str]]) -> bool:
    """Whether the ``Scope`` filter asks for shared resources (its only value)."""
    scope = chosen.pop("Scope", None)
    if scope is None:
        return False
    if scope != [SHARED]:
        raise ValidationException(f"The Scope filter takes the single value {SHARED}")
    return True


def resource_id(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not RESOURCE_ID.match(value):
        raise ValidationException(f"{name} must match ^[\\w\\-]+$ (1-255 characters)")
    return value


def list_entities(entities: Entities, params: dict[str, Any], shared: bool) -> dict[str, Any]:
    """ListEntities: one entity type, EntityId and Scope filters, sort and pages of ≤ 50."""
    entity_type = params.get("EntityType")
    if entity_type not in ENTITY_TYPES:
        raise ValidationException(
            f"EntityType {entity_type} is not supported; use one of {', '.join(ENTITY_TYPES)}"
        )
    if params.get("EntityTypeFilters") or params.get("EntityTypeSort"):
        raise ValidationException("EntityTypeFilters and EntityTypeSort do not apply to PMP types")
    ownership = params.get("OwnershipType", "SELF")
    if ownership not in ("SELF", "SHARED"):
        raise ValidationException("OwnershipType must be SELF or SHARED")
    chosen = filters(params, ("EntityId", "Scope"))
    visible = wants_shared(chosen) == shared and ownership == "SELF"
    found = entities.of_type(str(entity_type)) if visible else []
    if "EntityId" in chosen:
        found = [e for e in found if e.entity_id in chosen["EntityId"]]
    by, descending = sort_spec(params, ("LastModifiedDate", "EntityId", "Name"), "LastModifiedDate")
    found = ordered(found, _entity_key(by), descending)
    chunk, token = page(found, params, 50)
    reply: dict[str, Any] = {"EntitySummaryList": [entities.summary(e) for e in chunk]}
    if token:
        reply["NextToken"] = token
    return reply


def _entity_key(by: str) -> Callable[[Entity], tuple[Any, ...]]:
    if by == "EntityId":
        return lambda e: (e.entity_id,)
    if by == "Name":
        return lambda e: (str(e.document.get("Name", "")), e.entity_id)
    return lambda e: (e.modified, e.entity_id)


def describe_entity(entities: Entities, params: dict[str, Any]) -> dict[str, Any]:
    entity_id = resource_id(params, "EntityId")
    entity = entities.get(entity_id)
    if entity is None:
        raise ResourceNotFoundException(f"Entity {entity_id} not found")
    return entities.described(entity)


def batch_describe(entities: Entities, params: dict[str, Any], catalog: str) -> dict[str, Any]:
    """BatchDescribeEntities: 1–20 ids, details (no ``Details`` string) and per-id errors."""
    requests = params.get("EntityRequestList")
    if not isinstance(requests, list) or not 1 <= len(requests) <= MAX_BATCH:
        raise ValidationException(f"EntityRequestList must hold 1-{MAX_BATCH} requests")
    ids = [r.get("EntityId") if isinstance(r, dict) else None for r in requests]
    for entity_id in ids:
        if not isinstance(entity_id, str) or not BATCH_ENTITY_ID.match(entity_id):
            raise ValidationException(f"EntityId {entity_id} is not a valid entity id")
    if len(set(ids)) != len(ids):
        raise ValidationException("EntityRequestList names an entity twice")
    details: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for request, entity_id in zip(requests, ids, strict=True):
        entity = entities.get(str(entity_id))
        if entity is None or request.get("Catalog") != catalog:
            errors[str(entity_id)] = {
                "ErrorCode": "ResourceNotFoundException",
                "ErrorMessage": f"Entity {entity_id} not found in catalog {request.get('Catalog')}",
            }
        else:
            details[entity.entity_id] = entities.described(entity, legacy=False)
    return {"EntityDetails": details, "Errors": errors}


def list_change_sets(
    change_sets: Iterable[ChangeSet],
    params: dict[str, Any],
    shared: bool,
    arn: Callable[[ChangeSet], str],
) -> dict[str, Any]:
    """ListChangeSets: AND-combined filters, sort by StartTime/EndTime, pages of ≤ 20."""
    chosen = filters(params, CHANGE_SET_FILTERS)
    found = list(change_sets) if wants_shared(chosen) == shared else []
    for name, values in chosen.items():
        found = [c for c in found if _matches(c, name, values)]
    by, descending = sort_spec(params, ("StartTime", "EndTime", "ChangeSetId"), "StartTime")
    found = ordered(found, _change_set_key(by), descending)
    chunk, token = page(found, params, 20)
    reply: dict[str, Any] = {"ChangeSetSummaryList": [c.summary(arn(c)) for c in chunk]}
    if token:
        reply["NextToken"] = token
    return reply


def _change_set_key(by: str) -> Callable[[ChangeSet], tuple[Any, ...]]:
    if by == "ChangeSetId":
        return lambda c: (c.change_set_id,)
    if by == "EndTime":
        return lambda c: (c.end is not None, c.end or c.start, c.start, c.change_set_id)
    return lambda c: (c.start, c.change_set_id)


def _matches(change_set: ChangeSet, name: str, values: list[str]) -> bool:
    if name == "ChangeSetName":
        return change_set.name in values
    if name == "Status":
        unknown = set(values) - set(STATUSES)
        if unknown:
            raise ValidationException(f"Unknown status {', '.join(sorted(unknown))}")
        return change_set.status in values
    if name == "EntityId":
        return bool(set(values) & set(change_set.entity_ids))
    moment = change_set.start if name.endswith("StartTime") else change_set.end
    return _in_time(moment, name, values)


def _in_time(moment: datetime | None, name: str, values: list[str]) -> bool:
    if len(values) != 1:
        raise ValidationException(f"Filter {name} takes one time")
    try:
        bound = parse_iso(values[0])
    except ValueError:
        raise ValidationException(f"Filter {name} needs a YYYY-MM-DDTHH:MM:SSZ time") from None
    if moment is None:
        return False
    return moment <= bound if name.startswith("Before") else moment >= bound
