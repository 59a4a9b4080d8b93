"""The marketplace: the state model behind every transport (it never sees HTTP).

:class:`Marketplace` answers the Catalog API operations through :meth:`Marketplace.dispatch`
with the botocore output shapes, raising the service's errors (``errors``). Its parts:
``entities`` (the four PMP entity types), ``validation``/``fields`` (StartChangeSet's
synchronous checks), ``effects`` (what each change type does), ``changesets`` (lifecycle),
``reads`` (list and describe operations), ``seeding`` (seed documents), ``tags`` (resource
tags), ``documents`` (the saved state document).

Emulation choices where AWS's documentation is silent (the strictest plausible behaviour;
``StateOptions`` switches those marked *option*):

* Atomicity: a change set that fails on any change applies none of them (*option*
  ``atomic``; when off, the changes before and after a failed one stay applied). Every change
  is still evaluated, so each failing change reports its own ErrorDetailList.
* Order: changes apply in the order sent; a ``$Name.Entity.Identifier`` reference must name an
  earlier change of the set (any change: its Entity is the experience), and ChangeNames are
  unique and letters only (*option* ``change_name_pattern``).
* Moves: a principal still directly associated with another experience when the change set
  starts cannot be associated in that set, even after a DisassociateAudience in it (*option*
  ``allow_move_in_one_change_set``).
* Audiences: each AssociateAudience that adds principals creates a new ``Audience`` entity
  (ids ``aud-…``) (*option* ``audiences="per_experience"``: one audience per experience).
  Emptied audiences stay, with ``Principals: []`` (entities are never deleted).
  Re-associating a principal with its own experience is a no-op, not an error.
* Revisions: every change bumps the target Experience; a change to a child (policy, branding,
  audience) bumps that child too. Children are created at revision 1.
* Archive: ``AdminStatus`` is ``Editable`` or ``Restricted``. An archived experience refuses
  every change but ReviveExperience and DisassociateAudience (so its principals can move)
  with the emulator-specific code ``INVALID_STATE``; so do RestrictExperience on an enabled or
  archived experience and ReviveExperience on a live one.
* DisassociateAudience of a principal not associated with that experience fails with
  ``ENTITY_NOT_FOUND`` (code chosen by the sandbox). ``ENTITY_IN_USE`` is reported when the
  principal was in an Associate/DisassociateAudience change of another change set still open
  when this one started.
* Products: Allow and Deny move a product between the two statements (a product is in at most
  one); each names its Notes afresh. A policy is shown as one Allow and one Deny statement
  (omitted when empty) with one resource per product id. Re-allowing is a no-op.
* CreateProcurementPolicy without Configuration gets ``PolicyResourceRequests: Allow``.
* Logos: nothing is fetched. A LogoUrl whose host is ``invalid`` or ends in ``.invalid`` fails
  ``INVALID_URL``; a path not ending in ``.png``/``.svg`` fails ``INVALID_IMAGE``.
* Principals must be 12-digit accounts, ``ou-…`` or ``o-…`` ids (roots are refused); with
  *option* ``organization_id`` another ``o-…`` id fails ``CALLER_NOT_AUTHORIZED``.
* Callers: the owner account acts directly; any other account acts as delegated administrator
  (*option* ``delegated_admins`` limits which; others get AccessDeniedException) and sees
  entities and change sets only through ``Scope=SharedWithMe``. Change sets belong to the
  owner whoever starts them. ``OwnershipType=SHARED`` lists nothing.
* Validation: exactly one of Details and DetailsDocument; ``Entity.Type`` must be exactly
  ``Experience@1.0``; CreateExperience takes no Identifier; ``Intent=VALIDATE`` is refused.
* Locks: an open change set locks its experiences and their children; ResourceInUse is checked
  after idempotency (a retried token still answers) and before the quota.
* ClientRequestToken: the same token with the same request returns the first change set
  (whatever its state); with a different request it is a ValidationException.
* Cancel: CANCELLED at once from PREPARING; while APPLYING → ResourceInUseException; once
  ended → ValidationException.
* Unknown ChangeSetName defaults to the change set id. A failure not tied to a change
  (injected) is reported in FailureDescription only (SERVER_FAULT) or on the first change
  (CLIENT_ERROR, code ``INJECTED_FAILURE``).
* A wrong Catalog is ResourceNotFoundException; non-PMP operations (resource policies,
  assessments) and entity types are ValidationException.
* Branding keeps only the fields given and merges updates (a field cannot be unset).
* Lists: unknown filters, a repeated filter, a NextToken of another query are 422; summaries
  have no Visibility; time filters are inclusive; change sets are kept forever.
* No EventBridge events are emitted.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pmp_reconcile.sandbox.changesets import (
    APPLYING,
    CANCELLED,
    CLIENT_FAILURE,
    DONE,
    FAILED,
    PREPARING,
    SUCCEEDED,
    ChangeSet,
)
from pmp_reconcile.sandbox.clock import Clock, SystemClock
from pmp_reconcile.sandbox.documents import (
    StateParts,
    is_state_document,
    read_state,
    write_state,
)
from pmp_reconcile.sandbox.effects import ChangeFailure, Effects, principal_owners
from pmp_reconcile.sandbox.entities import AUDIENCE, EXPERIENCE, Entities, Entity, random_id
from pmp_reconcile.sandbox.errors import (
    AccessDeniedException,
    ResourceInUseException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    ValidationException,
)
from pmp_reconcile.sandbox.options import Progression, ProgressionMode, StateOptions
from pmp_reconcile.sandbox.reads import (
    batch_describe,
    describe_entity,
    list_change_sets,
    list_entities,
    resource_id,
)
from pmp_reconcile.sandbox.seeding import seed_changes
from pmp_reconcile.sandbox.tags import Tags
from pmp_reconcile.sandbox.validation import (
    CATALOG,
    Change,
    fingerprint,
    parse_request,
)

__all__ = ["Marketplace", "Progression", "StateOptions"]

ASSOCIATIONS = ("AssociateAudience", "DisassociateAudience")


class Marketplace:
    """One account's private marketplace. Thread-safe: one call at a time."""

    def __init__(self, options: StateOptions | None = None, clock: Clock | None = None) -> None:
        self.options = options or StateOptions()
        self.clock: Clock = clock or SystemClock()
        self.entities = Entities(self.options.owner_account_id, self.options.region)
        self.change_sets: dict[str, ChangeSet] = {}
        self.tokens: dict[str, str] = {}
        self.tags = Tags(self._holds)
        self.failures: list[str] = []
        self._lock = threading.RLock()

    # -- the front door -----------------------------------------------------------------

    def dispatch(self, operation: str, params: dict[str, Any], caller: str) -> dict[str, Any]:
        """Run one Catalog API operation as account ``caller``."""
        handler = self._handlers().get(operation)
        if handler is None:
            raise ValidationException(f"The sandbox does not emulate {operation}")
        with self._lock:
            self._check_caller(caller)
            self._tick()
            return handler(params, caller)

    def _handlers(self) -> dict[str, Callable[[dict[str, Any], str], dict[str, Any]]]:
        return {
            "StartChangeSet": self._start_change_set,
            "DescribeChangeSet": self._describe_change_set,
            "CancelChangeSet": self._cancel_change_set,
            "ListChangeSets": self._list_change_sets,
            "DescribeEntity": self._describe_entity,
            "ListEntities": self._list_entities,
            "BatchDescribeEntities": self._batch_describe,
            "TagResource": self.tags.tag_resource,
            "UntagResource": self.tags.untag_resource,
            "ListTagsForResource": self.tags.list_tags,
        }

    def _check_caller(self, caller: str) -> None:
        admins = self.options.delegated_admins
        if caller != self.options.owner_account_id and admins is not None and caller not in admins:
            raise AccessDeniedException(
                f"Account {caller} is neither the owner nor a delegated administrator"
            )

    def _shared(self, caller: str) -> bool:
        return caller != self.options.owner_account_id

    def _catalog(self, params: dict[str, Any]) -> None:
        catalog = params.get("Catalog")
        if catalog != CATALOG:
            raise ResourceNotFoundException(f"Catalog {catalog} not found")

    def arn_of(self, change_set: ChangeSet) -> str:
        return (
            f"arn:aws:aws-marketplace:{self.options.region}:{self.options.owner_account_id}:"
            f"AWSMarketplace/ChangeSet/{change_set.change_set_id}"
        )

    # -- reads --------------------------------------------------------------------------

    def _describe_entity(self, params: dict[str, Any], _: str) -> dict[str, Any]:
        self._catalog(params)
        return describe_entity(self.entities, params)

    def _list_entities(self, params: dict[str, Any], caller: str) -> dict[str, Any]:
        self._catalog(params)
        return list_entities(self.entities, params, self._shared(caller))

    def _batch_describe(self, params: dict[str, Any], _: str) -> dict[str, Any]:
        return batch_describe(self.entities, params, CATALOG)

    def _list_change_sets(self, params: dict[str, Any], caller: str) -> dict[str, Any]:
        self._catalog(params)
        return list_change_sets(
            self.change_sets.values(), params, self._shared(caller), self.arn_of
        )

    def _change_set(self, params: dict[str, Any]) -> ChangeSet:
        self._catalog(params)
        change_set_id = resource_id(params, "ChangeSetId")
        found = self.change_sets.get(change_set_id)
        if found is None:
            raise ResourceNotFoundException(f"Change set {change_set_id} not found")
        return found

    def _describe_change_set(self, params: dict[str, Any], _: str) -> dict[str, Any]:
        change_set = self._change_set(params)
        reply = change_set.described(self.arn_of(change_set))
        if change_set.is_open and self.options.progression.mode is ProgressionMode.DESCRIBES:
            change_set.describes += 1
            self._advance(change_set, self.clock.now())
        return reply

    # -- change sets ----------------------------------------------------------------------

    def _start_change_set(self, params: dict[str, Any], caller: str) -> dict[str, Any]:
        self._catalog(params)
        repeated = self._repeated(params)
        if repeated is not None:
            return self._started(repeated)
        request = parse_request(params, self.options.change_name_pattern)
        targets = self._targets(request.changes)
        locks = self._locks_for(targets)
        self._check_free(locks)
        if len(self._open()) >= self.options.open_change_set_quota:
            raise ServiceQuotaExceededException(
                f"At most {self.options.open_change_set_quota} change sets may be open at once"
            )
        change_set_id = self._new_change_set_id()
        change_set = ChangeSet(
            change_set_id=change_set_id,
            name=request.name or change_set_id,
            caller=caller,
            changes=request.changes,
            start=self.clock.now(),
            locks=locks,
            entity_ids=[t.entity_id for t in targets],
            contended=self._contended(request.changes),
            forced=self.failures.pop(0) if self.failures else None,
            token=request.token,
            fingerprint=request.fingerprint,
        )
        self.change_sets[change_set_id] = change_set
        if request.token:
            self.tokens[request.token] = change_set_id
        if request.tags:
            self.tags.by_arn[self.arn_of(change_set)] = list(request.tags)
        self._advance(change_set, self.clock.now())
        return self._started(change_set)

    def _started(self, change_set: ChangeSet) -> dict[str, Any]:
        return {"ChangeSetId": change_set.change_set_id, "ChangeSetArn": self.arn_of(change_set)}

    def _repeated(self, params: dict[str, Any]) -> ChangeSet | None:
        token = params.get("ClientRequestToken")
        known = self.tokens.get(token) if isinstance(token, str) else None
        if known is None:
            return None
        change_set = self.change_sets[known]
        if change_set.fingerprint != fingerprint(params):
            raise ValidationException(
                f"ClientRequestToken {token} was already used for a different request"
            )
        return change_set

    def _targets(self, changes: list[Change]) -> list[Entity]:
        """The existing experiences the changes name; checks existence and revisions."""
        targets: dict[str, Entity] = {}
        for change in changes:
            entity_id = change.entity_id
            if entity_id is None:
                continue
            entity = self.entities.get(entity_id)
            if entity is None or entity.entity_type != EXPERIENCE:
                raise ResourceNotFoundException(f"Experience {entity_id} not found")
            if change.revision is not None and change.revision != entity.revision:
                raise ValidationException(
                    f"Entity {change.identifier} is not the latest revision; the latest is "
                    f"{entity.identifier}"
                )
            targets[entity_id] = entity
        return list(targets.values())

    def _locks_for(self, targets: list[Entity]) -> list[str]:
        locks: list[str] = []
        for experience in targets:
            locks.append(experience.entity_id)
            locks += experience.document.get("ProcurementPolicies") or []
            locks += experience.document.get("BrandingSettings") or []
            locks += [
                a.entity_id
                for a in self.entities.of_type(AUDIENCE)
                if a.document.get("ExperienceId") == experience.entity_id
            ]
        return locks

    def _check_free(self, locks: list[str]) -> None:
        wanted = set(locks)
        for other in self._open():
            taken = wanted.intersection(other.locks)
            if taken:
                raise ResourceInUseException(
                    f"Entity {sorted(taken)[0]} is in use by change set {other.change_set_id}"
                )

    def _open(self) -> list[ChangeSet]:
        return [c for c in self.change_sets.values() if c.is_open]

    def _new_change_set_id(self) -> str:
        while True:
            candidate = random_id(25)
            if candidate not in self.change_sets:
                return candidate

    def _cancel_change_set(self, params: dict[str, Any], _: str) -> dict[str, Any]:
        change_set = self._change_set(params)
        if change_set.status == APPLYING:
            raise ResourceInUseException(
                f"Change set {change_set.change_set_id} is APPLYING and can no longer be cancelled"
            )
        if change_set.status != PREPARING:
            raise ValidationException(
                f"Change set {change_set.change_set_id} has ended ({change_set.status})"
            )
        change_set.finish(CANCELLED, self.clock.now())
        return self._started(change_set)

    # -- lifecycle ------------------------------------------------------------------------

    def _tick(self) -> None:
        """Walk every open change set to where the progression says it is by now."""
        now = self.clock.now()
        for change_set in self._open():
            self._advance(change_set, now)

    def _advance(self, change_set: ChangeSet, now: datetime) -> None:
        due = change_set.due(self.options.progression, now)
        if change_set.status == PREPARING and due >= 1:
            change_set.status = APPLYING
        if change_set.is_open and due >= DONE:
            self._complete(change_set, change_set.end_time(self.options.progression, now))

    def _complete(self, change_set: ChangeSet, end: datetime) -> None:
        if change_set.forced is not None:
            self._fail_forced(change_set, end)
            return
        effects = Effects(
            self.entities,
            self.options,
            end,
            busy=set(change_set.contended).__contains__,
            before={p: owner[0] for p, owner in principal_owners(self.entities).items()},
        )
        failed = self._apply_all(change_set, effects)
        if failed and self.options.atomic:
            effects.rollback()
            for change in change_set.changes:
                change.resolved = None
        if failed:
            change_set.finish(FAILED, end, "CLIENT_ERROR", CLIENT_FAILURE)
        else:
            self._tag_entities(change_set)
            change_set.finish(SUCCEEDED, end)

    def _apply_all(self, change_set: ChangeSet, effects: Effects) -> bool:
        """Apply each change in order; True when any failed."""
        experiences: dict[str, str] = {}
        failed = False
        for change in change_set.changes:
            target = experiences.get(change.reference or "", change.entity_id)
            experience = self.entities.get(target) if target else None
            if change.change_type != "CreateExperience" and experience is None:
                change.errors = [_missing_reference(change)]
                failed = True
                continue
            try:
                applied = effects.apply(change, experience)
            except ChangeFailure as failure:
                change.errors = failure.errors
                failed = True
                continue
            change.resolved = applied.identifier
            if change.change_name:
                experiences[change.change_name] = applied.entity_id
            if applied.entity_id not in change_set.entity_ids:
                change_set.entity_ids.append(applied.entity_id)
        return failed

    def _contended(self, changes: list[Change]) -> list[str]:
        """Principals this change set associates that an open change set is changing."""
        mine = set(_association_principals(changes))
        others = {p for c in self._open() for p in _association_principals(c.changes)}
        return sorted(mine & others)

    def _fail_forced(self, change_set: ChangeSet, end: datetime) -> None:
        code = change_set.forced or "SERVER_FAULT"
        if code == "CLIENT_ERROR" and change_set.changes:
            message = "Injected client error (sandbox fault)"
            change_set.changes[0].errors = [
                {"ErrorCode": "INJECTED_FAILURE", "ErrorMessage": message}
            ]
        change_set.finish(FAILED, end, code, "Injected failure (sandbox fault)")

    def _tag_entities(self, change_set: ChangeSet) -> None:
        for change in change_set.changes:
            if change.entity_tags and change.resolved:
                entity = self.entities.get(change.resolved.split("@")[0])
                if entity is not None:
                    self.tags.merge(self.entities.arn(entity), change.entity_tags)

    def _holds(self, arn: str) -> bool:
        """An entity or a change set has this ARN (tags may be put on either)."""
        if self.entities.by_arn(arn) is not None:
            return True
        return any(self.arn_of(c) == arn for c in self.change_sets.values())

    # -- state faults ---------------------------------------------------------------------

    def fail_next_change_sets(self, count: int = 1, failure: str = "SERVER_FAULT") -> None:
        """Make the next ``count`` change sets end FAILED with ``failure`` and no effect."""
        if failure not in ("SERVER_FAULT", "CLIENT_ERROR"):
            raise ValueError("failure must be SERVER_FAULT or CLIENT_ERROR")
        with self._lock:
            self.failures += [failure] * count

    def hold_lock(self, entity_id: str) -> str:
        """Lock ``entity_id`` with a foreign APPLYING change set; returns its id."""
        with self._lock:
            change_set_id = self._new_change_set_id()
            self.change_sets[change_set_id] = ChangeSet(
                change_set_id=change_set_id,
                name="foreign-change-set",
                caller=self.options.owner_account_id,
                changes=[],
                start=self.clock.now(),
                locks=[entity_id],
                entity_ids=[entity_id],
                status=APPLYING,
                foreign=True,
            )
            return change_set_id

    def release_lock(self, change_set_id: str) -> None:
        """End a foreign change set made by :meth:`hold_lock` (SUCCEEDED, no changes)."""
        with self._lock:
            change_set = self.change_sets.get(change_set_id)
            if change_set is None or not change_set.foreign:
                raise KeyError(f"{change_set_id} is not a foreign lock holder")
            if change_set.is_open:
                change_set.finish(SUCCEEDED, self.clock.now())

    # -- documents ------------------------------------------------------------------------

    def seed(self, document: dict[str, Any]) -> None:
        """Add a seed: a state document (:meth:`to_document`) or ``{"experiences": […]}``.

        Raises ``ValueError`` naming what is wrong; nothing of the seed is added then.
        """
        if not isinstance(document, dict):
            raise ValueError("a seed is a mapping at its top level")
        with self._lock:
            if is_state_document(document):
                self._load(document)
                return
            saved = copy.deepcopy(self.entities.by_id)
            try:
                for number, changes in enumerate(seed_changes(document), start=1):
                    self._seed_experience(number, changes)
            except ValueError:
                self.entities.by_id = saved
                raise

    def _seed_experience(self, number: int, changes: list[dict[str, Any]]) -> None:
        """Apply one seeded experience change by change, all or nothing."""
        effects = Effects(self.entities, self.options, self.clock.now())
        experience: Entity | None = None
        for change in changes:
            if experience is not None:
                change["Entity"]["Identifier"] = experience.entity_id
            try:
                (parsed,) = parse_request(
                    {"Catalog": CATALOG, "ChangeSet": [change]}, self.options.change_name_pattern
                ).changes
                experience = effects.apply(parsed, experience)
            except (ValidationException, ChangeFailure) as error:
                effects.rollback()
                raise ValueError(f"experiences[{number - 1}]: {error}") from None

    def to_document(self) -> dict[str, Any]:
        """Everything but the options and clock, JSON-safe (:meth:`from_document` reads it)."""
        with self._lock:
            parts = StateParts(
                entities=list(self.entities.by_id.values()),
                change_sets=list(self.change_sets.values()),
                tokens=self.tokens,
                tags=self.tags.by_arn,
                failures=self.failures,
            )
            return write_state(parts)

    @classmethod
    def from_document(
        cls,
        document: dict[str, Any],
        options: StateOptions | None = None,
        clock: Clock | None = None,
    ) -> Marketplace:
        marketplace = cls(options, clock)
        marketplace._load(document)
        return marketplace

    def _load(self, document: dict[str, Any]) -> None:
        parts = read_state(document)
        self.entities.by_id.update({e.entity_id: e for e in parts.entities})
        self.change_sets.update({c.change_set_id: c for c in parts.change_sets})
        self.tokens.update(parts.tokens)
        self.tags.by_arn.update(parts.tags)
        self.failures += parts.failures


def _association_principals(changes: list[Change]) -> list[str]:
    return [
        principal
        for change in changes
        if change.change_type in ASSOCIATIONS
        for principal in change.details.get("Principals", [])
    ]


def _missing_reference(change: Change) -> dict[str, str]:
    return {
        "ErrorCode": "ENTITY_NOT_FOUND",
        "ErrorMessage": f"Entity {change.identifier} was not created by this change set",
    }
