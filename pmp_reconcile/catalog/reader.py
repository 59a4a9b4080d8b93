"""Read the live private marketplace into the same :class:`MarketplaceState` the loader makes.

Calls: the Experience and Audience lists (all pages, in parallel, with the open change sets),
then BatchDescribeEntities in groups of 20 — experiences and audiences first, their policies
and brandings second. That is within one partial batch per step of the minimum number of
reads; the rate limiter keeps the parallel calls under the account's quotas.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from pmp_reconcile.catalog import parse
from pmp_reconcile.catalog.api import BATCH_DESCRIBE_SIZE, CatalogApi
from pmp_reconcile.catalog.changes import CHANGE_SET_NAME_PREFIX
from pmp_reconcile.errors import AwsNotFound
from pmp_reconcile.model import Experience, LiveRefs, MarketplaceState, OpenChangeSet

Details = dict[str, dict[str, Any]]


@dataclass
class LiveReader:
    """Reads everything PMP shows the caller; ``workers`` bounds the parallel calls."""

    api: CatalogApi
    workers: int = 8

    def read(self) -> MarketplaceState:
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            experiences = pool.submit(_ids, self.api.list_entities("Experience"))
            audiences = pool.submit(_ids, self.api.list_entities("Audience"))
            open_sets = pool.submit(list, self.api.open_change_sets())
            first = self._describe(pool, experiences.result() + audiences.result())
            children = _child_ids(first, experiences.result())
            second = self._describe(pool, children)
        state = _assemble(experiences.result(), audiences.result(), {**first, **second})
        return state.model_copy(update={"open_change_sets": _relevant(open_sets, state)})

    def _describe(self, pool: ThreadPoolExecutor, entity_ids: Sequence[str]) -> Details:
        batches = [
            entity_ids[i : i + BATCH_DESCRIBE_SIZE]
            for i in range(0, len(entity_ids), BATCH_DESCRIBE_SIZE)
        ]
        details: Details = {}
        for found, errors in pool.map(self.api.batch_describe, batches):
            if errors:
                raise _describe_failed(errors)
            details.update(found)
        return details


def _ids(summaries: Iterable[Mapping[str, Any]]) -> list[str]:
    return sorted(str(s["EntityId"]) for s in summaries)


def _describe_failed(errors: Mapping[str, Mapping[str, Any]]) -> AwsNotFound:
    listed = ", ".join(f"{i} ({e.get('ErrorCode', '?')})" for i, e in sorted(errors.items()))
    return AwsNotFound(
        f"BatchDescribeEntities could not describe {listed}",
        operation="BatchDescribeEntities",
        hint="the marketplace changed while it was read; run the command again",
    )


def _child_ids(details: Details, experience_ids: Sequence[str]) -> list[str]:
    children: list[str] = []
    for experience_id in experience_ids:
        doc = parse.experience(details[experience_id])
        children += [i for i in (doc.policy_id, doc.branding_id) if i is not None]
    return children


def _assemble(
    experience_ids: Sequence[str], audience_ids: Sequence[str], details: Details
) -> MarketplaceState:
    audiences: dict[str, list[str]] = defaultdict(list)
    for audience_id in audience_ids:
        owner = parse.audience(details[audience_id]).experience_id
        if owner is not None:
            audiences[owner].append(audience_id)
    experiences = [_experience(i, details, audiences[i]) for i in experience_ids]
    experiences.sort(key=lambda e: (e.name, e.id or ""))
    return MarketplaceState(experiences=tuple(experiences))


def _experience(experience_id: str, details: Details, audience_ids: Sequence[str]) -> Experience:
    doc = parse.experience(details[experience_id])
    policy = details.get(doc.policy_id) if doc.policy_id else None
    branding = details.get(doc.branding_id) if doc.branding_id else None
    parsed = parse.procurement_policy(policy) if policy else None
    principals = frozenset().union(*(parse.audience(details[a]).principals for a in audience_ids))
    refs = LiveRefs(
        experience=parse.live_entity(details[experience_id]),
        procurement_policy=parse.live_entity(policy) if policy else None,
        branding=parse.live_entity(branding) if branding else None,
        audiences=tuple(parse.live_entity(details[a]) for a in audience_ids),
    )
    return Experience(
        name=doc.name,
        id=experience_id,
        **doc.texts,
        status=doc.status,
        archived=doc.archived,
        software_requests=parsed.requests if parsed else None,
        principals=principals,
        allowed=parsed.allowed if parsed else frozenset(),
        denied=parsed.denied if parsed else frozenset(),
        notes=parsed.notes if parsed else {},
        branding=parse.branding(branding) if branding else None,
        live=refs,
    )


def _relevant(
    open_sets: Future[list[dict[str, Any]]], state: MarketplaceState
) -> tuple[OpenChangeSet, ...]:
    """Open change sets that touch an entity we read, or that this tool started (an
    interrupted apply may still be creating an experience nobody can read yet)."""
    read = {e.id for x in state.experiences if x.live for e in x.live.entities()}
    found = []
    for summary in open_sets.result():
        entity_ids = tuple(summary.get("EntityIdList") or ())
        ours = str(summary.get("ChangeSetName", "")).startswith(CHANGE_SET_NAME_PREFIX)
        if ours or read.intersection(entity_ids):
            found.append(
                OpenChangeSet(
                    id=str(summary["ChangeSetId"]),
                    name=str(summary.get("ChangeSetName", "")),
                    status=str(summary.get("Status", "")),
                    entity_ids=entity_ids,
                    ours=ours,
                )
            )
    return tuple(found)
