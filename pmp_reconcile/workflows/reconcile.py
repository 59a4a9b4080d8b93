"""Plan and apply: load the desired tree, read the live marketplace, plan, execute, verify.

This is where the layers meet (desired + catalog + plan); each function is one user-level
step, so the CLI stays an adapter and tests can drive the same steps without click.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.catalog.changes import COMMIT_TAG, RUN_TAG
from pmp_reconcile.catalog.client import CATALOG_SERVICE, ConnectionOptions, Transport, make_client
from pmp_reconcile.catalog.rate import RateLimiter
from pmp_reconcile.catalog.reader import LiveReader
from pmp_reconcile.desired.loader import load_desired_state
from pmp_reconcile.errors import GuardrailError, InputError, ProductCheckError, UsageError
from pmp_reconcile.logos import LogoChecker, LogoChecks
from pmp_reconcile.model import Caller, MarketplaceState, ProductChecks, ProductFacts
from pmp_reconcile.plan.document import PlanDocument
from pmp_reconcile.plan.logos import logos_to_check
from pmp_reconcile.plan.make import NO_ORIGIN, make_plan
from pmp_reconcile.plan.products import ids_to_look_up
from pmp_reconcile.plan.values import ExperienceStatus, Plan, PlanOrigin
from pmp_reconcile.views.plan import render_json
from pmp_reconcile.workflows.early_read import load_and_read

if TYPE_CHECKING:  # apply and the organization are imported when used: a plan needs neither
    from pmp_reconcile.apply.executor import Executor, Progress
    from pmp_reconcile.apply.result import ApplyResult
    from pmp_reconcile.workflows.products import Discovery

SANDBOX_CREDENTIALS = ("sandbox", "sandbox")


def change_set_tags(environ: Mapping[str, str] = os.environ) -> tuple[dict[str, str], ...]:
    """Tags tying change sets to the commit and CI run that applied them (GitHub Actions)."""
    tags = []
    if sha := environ.get("GITHUB_SHA"):
        tags.append({"Key": COMMIT_TAG, "Value": sha})
    server, repository = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
    run_id = environ.get("GITHUB_RUN_ID")
    if server and repository and run_id:
        url = f"{server}/{repository}/actions/runs/{run_id}"
        tags.append({"Key": RUN_TAG, "Value": url[:256]})
    return tuple(tags)


def connect(
    options: ConnectionOptions,
    caller: Caller = Caller.MANAGEMENT,
    transport: Transport | None = None,
    limiter: RateLimiter | None = None,
) -> CatalogApi:
    """A rate-limited Catalog API for the caller (a delegated admin reads shared entities)."""
    client = make_client(CATALOG_SERVICE, options, transport)
    return CatalogApi(
        client=client,
        limiter=limiter or RateLimiter(),
        shared_scope=caller is Caller.DELEGATED_ADMIN,
    )


def read_live(api: CatalogApi) -> MarketplaceState:
    return LiveReader(api).read()


OrganizationOf = Callable[[], str | None]


def no_organization_check() -> str | None:
    """For the sandbox, which plays no AWS Organizations: the guard is not checked."""
    return None


@dataclass(frozen=True)
class Target:
    """Where a command works: the Catalog API per caller, the organization it belongs to, and
    where product names come from (None: plans show ids only)."""

    api_for: Callable[[Caller], CatalogApi]
    organization_of: OrganizationOf = no_organization_check
    #: Reads wait on a network (the tree loads meanwhile); the embedded sandbox is local, and
    #: an invalid tree must not even create its state.
    remote: bool = True
    products: Discovery | None = None
    #: What plans made here record of where they were made (the commit, the sandbox).
    origin: PlanOrigin = NO_ORIGIN
    #: Fetches the logo URLs a plan would send (None: not checked, as with ``--offline``).
    logos: LogoChecker | None = None

    def check_logos(self, desired: MarketplaceState, live: MarketplaceState) -> LogoChecks:
        """Checks of the logos a plan of ``desired`` over ``live`` sends, started now."""
        urls = logos_to_check(desired, live) if self.logos is not None else ()
        return (self.logos or LogoChecker()).start(urls)

    def product_facts(
        self, desired: MarketplaceState, live: MarketplaceState
    ) -> ProductFacts | None:
        """What Discovery says of the products a plan of ``desired`` over ``live`` shows and
        checks; None when the tree turns checks off or nothing can be asked."""
        if self.products is None or desired.settings.product_checks is ProductChecks.OFF:
            return None
        return self.products.facts(ids_to_look_up(desired, live))

    def api(self, desired: MarketplaceState) -> CatalogApi:
        """The API for the tree's caller, once the tree's organization guard holds."""
        expected = desired.settings.organization_id
        actual = self.organization_of() if expected else None
        if expected and actual:
            from pmp_reconcile.org.identity import ensure_organization

            ensure_organization(expected, actual)
        return self.api_for(desired.settings.caller)


@dataclass(frozen=True)
class PlanOptions:
    """How ``plan`` reads live: ``wait_for_pending`` waits for change sets already open
    (reporting to ``progress``, silently when None) instead of listing them in the plan as a
    warning."""

    wait_for_pending: bool = False
    progress: Progress | None = None


READ_AS_IS = PlanOptions()


@dataclass(frozen=True)
class Planning:
    """One run of the plan pipeline: the tree, the live state it met, and the plan."""

    desired: MarketplaceState
    live: MarketplaceState
    plan: Plan


def planning(directory: Path, target: Target, options: PlanOptions = READ_AS_IS) -> Planning:
    """Validate the tree while live is read (nothing is read if pmp.yaml is invalid), plan."""

    def read(api: CatalogApi) -> MarketplaceState:
        if options.wait_for_pending:
            from pmp_reconcile.apply.executor import Executor

            progress = options.progress
            executor = Executor(api) if progress is None else Executor(api, progress=progress)
            return read_settled(api, executor)
        return read_live(api)

    desired, live = load_and_read(directory, target.api, read, overlap=target.remote)
    return Planning(desired, live, checked_plan(desired, live, directory, target))


def checked_plan(
    desired: MarketplaceState, live: MarketplaceState, directory: Path, target: Target
) -> Plan:
    """The plan with product names and checks; with ``product_checks: error`` a W401 or W402
    is an error, so nothing is sent."""
    logos = target.check_logos(desired, live)  # they run while Discovery is asked
    facts = target.product_facts(desired, live)
    findings = logos.findings()
    plan = make_plan(desired, live, str(directory), facts, origin=target.origin, logos=findings)
    failing = plan.product_findings()
    if failing and desired.settings.product_checks is ProductChecks.ERROR:
        listed = "; ".join(f"{w.location or w.experience}: {w.code} {w.message}" for w in failing)
        raise ProductCheckError(
            f"{len(failing)} product check(s) failed: {listed}",
            hint="fix the ids, remove the products, or set product_checks: warn in pmp.yaml",
        )
    return plan


def plan_directory(directory: Path, target: Target, options: PlanOptions = READ_AS_IS) -> Plan:
    return planning(directory, target, options).plan


def save_plan(plan: Plan, path: Path) -> None:
    save_document(plan.to_document(), path)


def save_document(document: PlanDocument, path: Path) -> None:
    """Write a plan's whole document (made with its recorded live values) for ``apply --plan``."""
    path.write_text(render_json(document), encoding="utf-8")


def load_plan(path: Path) -> Plan:
    """A saved plan, checked for format version and integrity."""
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
        return Plan.from_document(document)
    except OSError as error:
        raise InputError(f"cannot read plan {path}: {error.strerror}") from error
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(
            f"{path} is not a usable plan: {error}",
            hint="write a fresh one with `pmp-reconcile plan --out FILE`",
        ) from error


def read_settled(api: CatalogApi, executor: Executor) -> MarketplaceState:
    """Live state read after change sets already open on it have ended."""
    live = read_live(api)
    if not live.open_change_sets:
        return live
    executor.wait_for([c.id for c in live.open_change_sets])
    return read_live(api)


@dataclass
class ApplyRequest:
    """What ``apply`` was asked; ``confirm`` shows the plan and says whether to go on."""

    directory: Path
    plan_file: Path | None = None
    allow_destructive: bool = False
    confirm: Callable[[Plan], bool] = lambda plan: True


def apply_changes(
    request: ApplyRequest,
    target: Target,
    executor_for: Callable[[CatalogApi], Executor],
) -> tuple[Plan, ApplyResult]:
    """Plan (or load and check a saved plan), confirm, execute, then verify by planning again."""
    from pmp_reconcile.apply.result import ApplyResult
    from pmp_reconcile.workflows.saved_plans import ensure_fresh, read_for_saved_plan

    if request.plan_file is not None:
        plan = load_plan(request.plan_file)
        _check_same_target(plan, target)
        api = target.api_for(Caller(plan.caller))
        executor = executor_for(api)
        ensure_fresh(plan, read_for_saved_plan(api, executor), api)
    else:
        desired = load_desired_state(request.directory)
        api = target.api(desired)
        executor = executor_for(api)
        live = read_settled(api, executor)
        plan = checked_plan(desired, live, request.directory, target)
    if not plan.has_changes:
        return plan, ApplyResult(plan_digest=plan.digest())
    _check_guardrails(plan, request.allow_destructive)
    if not request.confirm(plan):
        raise UsageError("apply cancelled: nothing was changed")
    result = executor.run(plan)
    directory = Path(plan.directory or request.directory)
    left = _verify(directory, api, executor) if not result.interrupted else ()
    # a saved plan is checked against the tree as it is now, which may have moved on since
    field = "tree_changed" if request.plan_file is not None else "drift"
    return plan, result.model_copy(update={field: left})


def _check_same_target(plan: Plan, target: Target) -> None:
    """A plan of the sandbox is never sent to AWS, nor one of AWS to the sandbox: when both
    are empty, the staleness check alone could not tell them apart."""
    if plan.sandbox == target.origin.sandbox:
        return
    made, here = ("the sandbox", "AWS") if plan.sandbox else ("AWS", "the sandbox")
    raise UsageError(
        f"the plan was made against {made}, not {here}; nothing was sent",
        hint="make the plan where it is to be applied (with or without --sandbox)",
    )


def _check_guardrails(plan: Plan, allowed: bool) -> None:
    crossings = plan.guardrail_crossings()
    if crossings and not allowed:
        listed = "; ".join(f"{w.code} {w.message}" for w in crossings)
        raise GuardrailError(
            f"the plan crosses guardrails: {listed}",
            hint="review the plan; re-run with --allow-destructive if it is intended",
        )


def _verify(directory: Path, api: CatalogApi, executor: Executor) -> tuple[str, ...]:
    """Plan again after applying: whatever is left is drift (skipped without the tree)."""
    if not directory.is_dir():
        return ()
    again = make_plan(load_desired_state(directory), read_settled(api, executor))
    return tuple(
        f"{e.key or e.id}: {a.kind.label} {' '.join(a.items)}".rstrip()
        for e in again.experiences
        if e.status is not ExperienceStatus.UNMANAGED
        for a in e.actions
    )
