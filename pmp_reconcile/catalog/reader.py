"""Read the live private marketplace into the same :class:`MarketplaceState` the loader makes.

Calls: the Experience and Audience lists (all pages, in parallel, with the open change sets),
and BatchDescribeEntities in groups of 20 — experiences and audiences first, as their pages
arrive, their policies and brandings second. That is within one partial batch per step of the
minimum number of reads; the rate limiter keeps the parallel calls under the account's quotas.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from pmp_reconcile.catalog import parse
from pmp_reconcile.catalog.api import BATCH_DESCRIBE_SIZE, CatalogApi
from pmp_reconcile.catalog.changes import CHANGE_SET_NAME_PREFIX
from pmp_reconcile.errors import AwsNotFound
from pmp_reconcile.model import Experience, LiveRefs, MarketplaceState, OpenChangeSet

Details = dict[str, dict[str, Any]]
#: What the reader keeps of one entity it was sent: ``(entity id, details) → details``.
Keep = Callable[[str, dict[str, Any]], dict[str, Any]]


def _as_found(entity_id: str, entity: dict[str, Any]) -> dict[str, Any]:
    return entity


@dataclass
class LiveReader:
    """Reads everything PMP shows the caller; ``workers`` bounds the parallel calls."""

    api: CatalogApi
    workers: int = 8

    def read(self) -> MarketplaceState:
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            first_batches = Batches(lambda ids: pool.submit(self._described, ids))
            experiences = pool.submit(_listed, self.api.list_entities("Experience"), first_batches)
            audiences = pool.submit(_listed, self.api.list_entities("Audience"), first_batches)
            open_sets = pool.submit(list, self.api.open_change_sets())
            experience_ids, audience_ids = experiences.result(), audiences.result()
            first = _details(first_batches.last())
            policy_ids, branding_ids = _child_ids(first, experience_ids)
            policies = PolicyReader(frozenset(policy_ids))
            second = self._describe(pool, policy_ids + branding_ids, policies.take)
        parts = Parts({**first, **second}, policies.parsed)
        state = _assemble(experience_ids, audience_ids, parts)
        return replace(state, open_change_sets=_relevant(open_sets, state))

    def _describe(
        self, pool: ThreadPoolExecutor, entity_ids: Sequence[str], keep: Keep = _as_found
    ) -> Details:
        """Details of the entities, each as ``keep`` makes it in the thread that fetched it."""
        batches = [
            entity_ids[i : i + BATCH_DESCRIBE_SIZE]
            for i in range(0, len(entity_ids), BATCH_DESCRIBE_SIZE)
        ]
        return _details([pool.submit(self._described, batch, keep) for batch in batches])

    def _described(self, batch: Sequence[str], keep: Keep = _as_found) -> Described:
        found, errors = self.api.batch_describe(batch)
        return {i: keep(i, entity) for i, entity in found.items()}, errors


#: One BatchDescribeEntities: details and errors by entity id.
Described = tuple[Details, Details]


class Batches:
    """Entity ids gathered into batches of ``BATCH_DESCRIBE_SIZE``, each sent as soon as it is
    full: experiences and audiences are described while later pages of their lists are still
    on the way (at a thousand of each the lists take 40 calls at 10 a second)."""

    def __init__(self, send: Callable[[list[str]], Future[Described]]) -> None:
        self._send = send
        self._waiting: list[str] = []
        self._sent: list[Future[Described]] = []
        self._lock = threading.Lock()

    def add(self, entity_id: str) -> None:
        with self._lock:
            self._waiting.append(entity_id)
            if len(self._waiting) == BATCH_DESCRIBE_SIZE:
                self._sent.append(self._send(self._waiting))
                self._waiting = []

    def last(self) -> list[Future[Described]]:
        """Every batch, the one still filling sent too (call it once the lists are done)."""
        with self._lock:
            if self._waiting:
                self._sent.append(self._send(self._waiting))
                self._waiting = []
            return list(self._sent)


def _listed(summaries: Iterable[Mapping[str, Any]], batches: Batches) -> list[str]:
    """The ids of a list, sorted; each id goes to ``batches`` as its page arrives."""
    ids = []
    for summary in summaries:
        entity_id = str(summary["EntityId"])
        batches.add(entity_id)
        ids.append(entity_id)
    return sorted(ids)


def _details(described: list[Future[Described]]) -> Details:
    details: Details = {}
    for future in described:
        found, errors = future.result()
        if errors:
            raise _describe_failed(errors)
        details.update(found)
    return details


@dataclass
class PolicyReader:
    """Reads procurement policies as their batches arrive, in the threads that fetch them.

    At scale the policies are most of the read (thousands of ids each) and their calls wait
    for the rate limit: each batch is read while later ones wait, not all at the end, and
    its documents are dropped once read.
    """

    policy_ids: frozenset[str]
    parsed: dict[str, parse.PolicyDoc] = field(default_factory=dict)

    def take(self, entity_id: str, entity: dict[str, Any]) -> dict[str, Any]:
        if entity_id not in self.policy_ids:
            return entity
        self.parsed[entity_id] = parse.procurement_policy(entity)
        return {key: value for key, value in entity.items() if key != "DetailsDocument"}


@dataclass(frozen=True)
class Parts:
    """What the describes found: every entity's details, and each procurement policy read
    (its document no longer in ``details``)."""

    details: Details
    policies: Mapping[str, parse.PolicyDoc]


def _describe_failed(errors: Mapping[str, Mapping[str, Any]]) -> AwsNotFound:
    listed = ", ".join(f"{i} ({e.get('ErrorCode', '?')})" for i, e in sorted(errors.items()))
    return AwsNotFound(
        f"BatchDescribeEntities could not describe {listed}",
        operation="BatchDescribeEntities",
        hint="the marketplace changed while it was read; run the command again",
    )


def _child_ids(details: Details, experience_ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """The experiences' procurement policies and branding settings."""
    policies: list[str] = []
    brandings: list[str] = []
    for experience_id in experience_ids:
        doc = parse.experience(details[experience_id])
        policies += [doc.policy_id] if doc.policy_id is not None else []
        brandings += [doc.branding_id] if doc.branding_id is not None else []
    return policies, brandings


def _assemble(
    experience_ids: Sequence[str], audience_ids: Sequence[str], parts: Parts
) -> MarketplaceState:
    details = parts.details
    audiences: dict[str, list[str]] = defaultdict(list)
    for audience_id in audience_ids:
        owner = parse.audience(details[audience_id]).experience_id
        if owner is not None:
            audiences[owner].append(audience_id)
    experiences = [_experience(i, parts, audiences[i]) for i in experience_ids]
    experiences.sort(key=lambda e: (e.name, e.id or ""))
    return MarketplaceState(experiences=tuple(experiences))


def _experience(experience_id: str, parts: Parts, audience_ids: Sequence[str]) -> Experience:
    details = parts.details
    doc = parse.experience(details[experience_id])
    policy = details.get(doc.policy_id) if doc.policy_id else None
    branding = details.get(doc.branding_id) if doc.branding_id else None
    parsed = parts.policies.get(doc.policy_id) if policy and doc.policy_id else None
    principals = frozenset().union(*(parse.audience(details[a]).principals for a in audience_ids))
    refs = LiveRefs(
        experience=parse.live_entity(details[experience_id]),
        procurement_policy=parse.live_entity(policy) if policy else None,
        branding=parse.live_entity(branding) if branding else None,
        audiences=tuple(parse.live_entity(details[a]) for a in audience_ids),
    )
    texts: Mapping[str, Any] = doc.texts  # each names a text member (``EXPERIENCE_TEXTS``)
    return Experience(
        name=doc.name,
        id=experience_id,
        **texts,
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
