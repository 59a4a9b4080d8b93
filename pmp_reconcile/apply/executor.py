"""Execute a plan: waves in order, chains of a wave in parallel, a chain's change sets in turn.

A failed change set skips what depends on it (the rest of its experience's work, and the
work of experiences waiting for principals it was to release) and lets independent chains
finish. Nothing is retried blindly: starts carry deterministic tokens,
ResourceInUse waits (bounded) for the other change set, a SERVER_FAULT is retried once with a
new token, and a stop request (SIGINT/SIGTERM) starts nothing new but waits for what runs; a
second one leaves at once, naming the change sets still running.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from pmp_reconcile.apply.moves import Moves
from pmp_reconcile.apply.result import ApplyResult, ChangeError, ChangeSetResult, Outcome
from pmp_reconcile.apply.tokens import client_request_token
from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.catalog.changes import with_identifier
from pmp_reconcile.catalog.vocabulary import ChangeType
from pmp_reconcile.errors import ApplyAborted, AwsError, AwsResourceInUse
from pmp_reconcile.plan.values import Chain, Plan, PlannedChangeSet, Wave

TERMINAL = ("SUCCEEDED", "FAILED", "CANCELLED")
PLAN_DIGEST_TAG = "pmp-reconcile:plan-digest"


class Progress(Protocol):
    """Receives one event per step; the CLI prints them (a line each, or a live display)."""

    def event(self, result: ChangeSetResult | None, message: str) -> None: ...


class SilentProgress:
    def event(self, result: ChangeSetResult | None, message: str) -> None:
        return None


@dataclass(frozen=True)
class ApplySettings:
    """Timing of polls and waits (seconds); tests inject fast clocks instead of changing these."""

    poll_initial: float = 0.5
    poll_factor: float = 1.5
    poll_max: float = 10.0
    in_use_timeout: float = 600.0
    change_set_timeout: float = 3600.0
    server_fault_retries: int = 1
    max_parallel: int = 10


@dataclass
class Timekeeping:
    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def stamp(self) -> str:
        return self.now().strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Executor:
    api: CatalogApi
    settings: ApplySettings = field(default_factory=ApplySettings)
    time: Timekeeping = field(default_factory=Timekeeping)
    progress: Progress = field(default_factory=SilentProgress)
    stop: threading.Event = field(default_factory=threading.Event)
    tags: Sequence[dict[str, str]] = ()
    nonce: Callable[[], str] = lambda: uuid.uuid4().hex
    _run_tags: tuple[dict[str, str], ...] = field(default=(), init=False)

    def run(self, plan: Plan) -> ApplyResult:
        files = {e.key or e.id or "": e.file for e in plan.experiences}
        run = _Run(plan=plan, files=files, nonce=self.nonce())
        self._run_tags = (*self.tags, {"Key": PLAN_DIGEST_TAG, "Value": run.digest})
        for wave in plan.waves:
            self._wave(run, wave)
        return ApplyResult(
            plan_digest=run.digest,
            change_sets=tuple(run.ordered()),
            interrupted=self.stop.is_set(),
        )

    def _wave(self, run: _Run, wave: Wave) -> None:
        """Chains in parallel; a second interrupt (KeyboardInterrupt) leaves without joining."""
        pool = ThreadPoolExecutor(max_workers=self.settings.max_parallel)
        try:
            list(pool.map(lambda c: self._chain(run, wave.index, c), wave.chains))
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            raise _aborted(run.running_now()) from None
        pool.shutdown(wait=True)

    def wait_for(self, change_set_ids: Sequence[str]) -> None:
        """Block until change sets someone else opened have ended (before reading live)."""
        for change_set_id in change_set_ids:
            self.progress.event(None, f"waiting for open change set {change_set_id}")
            self._wait(change_set_id)

    def _chain(self, run: _Run, wave: int, chain: Chain) -> None:
        for planned in chain.change_sets:
            result = self._one(run, wave, chain.experience, planned)
            run.record(result)
            self.progress.event(result, _describe(result))

    def _one(
        self, run: _Run, wave: int, experience: str, planned: PlannedChangeSet
    ) -> ChangeSetResult:
        base = ChangeSetResult(
            experience=experience, wave=wave, name=planned.name, outcome=Outcome.NOT_STARTED
        )
        if run.has_failed(experience):
            note = "skipped: an earlier change set of this experience failed"
            return base.model_copy(update={"outcome": Outcome.SKIPPED, "note": note})
        held = run.held_back(experience)
        if held is not None:
            return base.model_copy(update={"outcome": Outcome.SKIPPED, "note": held})
        if self.stop.is_set():
            return base.model_copy(update={"note": "not started: apply was interrupted"})
        changes = run.resolve(planned)
        if changes is None:
            note = "skipped: the experience it needs was not created"
            return base.model_copy(update={"outcome": Outcome.SKIPPED, "note": note})
        result = self._execute(run, base, changes)
        if result.outcome is Outcome.SUCCEEDED:
            run.remember_created(experience, result)
        return result

    def _execute(
        self, run: _Run, base: ChangeSetResult, changes: list[dict[str, Any]]
    ) -> ChangeSetResult:
        attempt = 0
        while True:
            attempt += 1
            token = client_request_token(run.digest, base.name, attempt, run.nonce)
            started = self.time.stamp()
            try:
                change_set_id, arn = self._start(changes, base.name, token)
                with run.running(base.name, change_set_id):  # known as running once shown
                    self.progress.event(base, f"started {base.name} ({change_set_id})")
                    described = self._wait(change_set_id)
            except AwsError as error:
                return _start_failure(base, error, attempt, started, self.time.stamp())
            result = _finished(base, described, run.files, attempt, started, change_set_id, arn)
            run.keep_description(base.name, described)
            retry = described.get("FailureCode") == "SERVER_FAULT"
            if not (retry and attempt <= self.settings.server_fault_retries):
                return result

    def _start(self, changes: list[dict[str, Any]], name: str, token: str) -> tuple[str, str]:
        deadline = self.time.monotonic() + self.settings.in_use_timeout
        delay = self.settings.poll_initial
        while True:
            try:
                response = self.api.start_change_set(changes, name, token, self._run_tags)
                return str(response["ChangeSetId"]), str(response.get("ChangeSetArn", ""))
            except AwsResourceInUse:
                if self.time.monotonic() + delay > deadline:
                    raise
                self.time.sleep(delay)
                delay = min(delay * self.settings.poll_factor, self.settings.poll_max)

    def _wait(self, change_set_id: str) -> dict[str, Any]:
        deadline = self.time.monotonic() + self.settings.change_set_timeout
        delay = self.settings.poll_initial
        while True:
            self.time.sleep(delay)
            described = self.api.describe_change_set(change_set_id)
            if described.get("Status") in TERMINAL:
                return described
            if self.time.monotonic() > deadline:
                return {**described, "Status": "TIMED_OUT"}
            delay = min(delay * self.settings.poll_factor, self.settings.poll_max)


@dataclass
class _Run:
    """Shared state of one apply across chain threads (guarded by one lock)."""

    plan: Plan
    files: Mapping[str, str | None]
    nonce: str
    results: list[ChangeSetResult] = field(default_factory=list)
    created: dict[str, str] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    descriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    open: dict[str, str] = field(default_factory=dict)  # change set name → id, while waited on
    moves: Moves = field(init=False)

    def __post_init__(self) -> None:
        self.moves = Moves.of(self.plan)

    @property
    def digest(self) -> str:
        return self.plan.digest()

    def record(self, result: ChangeSetResult) -> None:
        with self.lock:
            self.results.append(result)
            if result.outcome is not Outcome.SUCCEEDED:
                self.failed.add(result.experience)

    def has_failed(self, experience: str) -> bool:
        with self.lock:
            return experience in self.failed

    @contextmanager
    def running(self, name: str, change_set_id: str) -> Iterator[None]:
        with self.lock:
            self.open[name] = change_set_id
        try:
            yield
        finally:
            with self.lock:
                self.open.pop(name, None)

    def running_now(self) -> dict[str, str]:
        with self.lock:
            return dict(self.open)

    def held_back(self, experience: str) -> str | None:
        """Why another experience's failure holds this one back (principals it still holds)."""
        with self.lock:
            failed = set(self.failed)
        return self.moves.held_back_by(experience, failed)

    def keep_description(self, name: str, described: dict[str, Any]) -> None:
        with self.lock:
            self.descriptions[name] = described

    def remember_created(self, experience: str, result: ChangeSetResult) -> None:
        with self.lock:
            described = self.descriptions.get(result.name, {})
            for change in described.get("ChangeSet", []):
                if change.get("ChangeType") == ChangeType.CREATE_EXPERIENCE:
                    identifier = str(change.get("Entity", {}).get("Identifier", ""))
                    self.created[experience] = identifier.partition("@")[0]

    def resolve(self, planned: PlannedChangeSet) -> list[dict[str, Any]] | None:
        """The changes to send: aimed at the id AWS gave the experience the set needs created
        (None when it was never created)."""
        key = planned.needs_created
        if key is None:
            return [dict(change) for change in planned.changes]
        with self.lock:
            created = self.created.get(key)
        if created is None:
            return None
        return [with_identifier(change, created) for change in planned.changes]

    def ordered(self) -> list[ChangeSetResult]:
        order = {
            change_set.name: index
            for index, change_set in enumerate(
                cs for w in self.plan.waves for c in w.chains for cs in c.change_sets
            )
        }
        return sorted(self.results, key=lambda r: order.get(r.name, len(order)))


def _aborted(running: Mapping[str, str]) -> ApplyAborted:
    if not running:
        return ApplyAborted("apply aborted; no change set was running")
    listed = "; ".join(f"{name} ({ident})" for name, ident in sorted(running.items()))
    return ApplyAborted(
        f"apply aborted; still running: {listed}",
        hint=(
            "they finish on their own: follow one with aws marketplace-catalog "
            "describe-change-set --catalog AWSMarketplace --change-set-id ID, or run "
            "plan --wait-for-pending, then apply again"
        ),
    )


def _describe(result: ChangeSetResult) -> str:
    ident = f" ({result.change_set_id})" if result.change_set_id else ""
    extra = f": {result.note}" if result.note else ""
    return f"{result.outcome.value.lower()} {result.name}{ident}{extra}"


def _start_failure(
    base: ChangeSetResult, error: AwsError, attempts: int, started: str, ended: str
) -> ChangeSetResult:
    return base.model_copy(
        update={
            "outcome": Outcome.FAILED,
            "failure_code": error.aws_code or error.code,
            "failure_description": error.message,
            "attempts": attempts,
            "started_at": started,
            "ended_at": ended,
        }
    )


def _finished(
    base: ChangeSetResult,
    described: Mapping[str, Any],
    files: Mapping[str, str | None],
    attempts: int,
    started: str,
    change_set_id: str,
    arn: str,
) -> ChangeSetResult:
    status = str(described.get("Status"))
    outcome = Outcome(status) if status in Outcome.__members__ else Outcome.FAILED
    errors = tuple(
        ChangeError(
            change_type=str(change.get("ChangeType", "")),
            code=str(detail.get("ErrorCode", "")),
            message=str(detail.get("ErrorMessage", "")),
            experience=base.experience,
            file=files.get(base.experience),
        )
        for change in described.get("ChangeSet", [])
        for detail in change.get("ErrorDetailList") or []
    )
    note = "still running when apply stopped waiting" if status == "TIMED_OUT" else None
    return base.model_copy(
        update={
            "outcome": outcome,
            "change_set_id": change_set_id,
            "change_set_arn": arn or described.get("ChangeSetArn"),
            "failure_code": described.get("FailureCode"),
            "failure_description": described.get("FailureDescription"),
            "errors": errors,
            "attempts": attempts,
            "started_at": described.get("StartTime") or started,
            "ended_at": described.get("EndTime"),
            "note": note,
        }
    )
