"""Properties over random small desired and live marketplaces.

Every plan respects the API limits and is deterministic; and a small model of the Catalog
API's PMP semantics, applying the plan's waves in order, (a) never meets a change the service
would refuse or that changes nothing, and (b) ends in a state the planner finds nothing to do in.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_builders import ORG, OU, desired, have, live, product, want

from pmp_reconcile.catalog.changes import (
    MAX_CHANGES_PER_CHANGE_SET,
    MAX_IDS_PER_CHANGE,
    MAX_PRINCIPALS_PER_CHANGE,
    details_size,
)
from pmp_reconcile.model import (
    Branding,
    Experience,
    MarketplaceState,
    RequestPolicy,
    Status,
    UnmanagedPolicy,
)
from pmp_reconcile.plan.make import make_plan
from pmp_reconcile.plan.values import Plan

NAMES = ["Alpha", "Beta", "Gamma", "Delta"]
PRINCIPALS = [f"40000000000{n}" for n in range(6)] + [OU, ORG]
PRODUCTS = [product(n) for n in range(130)]
CHANGE_SET_NAME = re.compile(r"^[\w\s+=.:@-]{1,100}$")
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

brandings = st.none() | st.builds(
    Branding,
    title=st.sampled_from([None, "One", "Two"]),
    theme_color=st.sampled_from([None, "#111111", "#222222"]),
)


@st.composite
def product_lists(draw: st.DrawFn) -> tuple[frozenset[str], frozenset[str]]:
    """Sometimes a long run (more than 50 to allow or deny), always a few scattered ones."""
    start = draw(st.integers(0, 60))
    length = draw(st.sampled_from([0, 0, 3, 55, 70]))
    scattered = draw(st.sets(st.sampled_from(PRODUCTS), max_size=4))
    allowed = frozenset(PRODUCTS[start : start + length]) | scattered
    denied = frozenset(draw(st.sets(st.sampled_from(PRODUCTS), max_size=4))) - allowed
    return allowed, denied


def principal_lists(free: list[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(free), unique=True, max_size=3)


@st.composite
def live_states(draw: st.DrawFn) -> MarketplaceState:
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3))
    free = list(PRINCIPALS)
    found = []
    for n, name in enumerate(names):
        archived = draw(st.booleans()) and draw(st.booleans())
        principals = draw(principal_lists(free)) if free else []
        free = [p for p in free if p not in principals]
        allowed, denied = draw(product_lists())
        found.append(
            have(
                f"exp-{n}",
                name,
                description=draw(st.sampled_from([None, "live text"])),
                status=Status.DISABLED if archived else draw(st.sampled_from(Status)),
                archived=archived,
                requests=draw(st.sampled_from([None, *RequestPolicy])),
                principals=principals,
                allowed=allowed,
                denied=denied,
                branding=draw(brandings),
            )
        )
    return live(*found)


@st.composite
def desired_states(draw: st.DrawFn, found: MarketplaceState) -> MarketplaceState:
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3))
    pinnable = [e.id for e in found.experiences if e.id]
    free = list(PRINCIPALS)
    wanted = []
    for name in names:
        pin = draw(st.sampled_from([None, *pinnable])) if pinnable else None
        pinnable = [i for i in pinnable if i != pin]
        principals = draw(principal_lists(free)) if free else []
        free = [p for p in free if p not in principals]
        archived = draw(st.booleans()) and draw(st.booleans())
        allowed, denied = draw(product_lists())
        wanted.append(
            want(
                name.lower(),
                name,
                id=pin,
                description=draw(st.sampled_from([None, "file text"])),
                status=Status.DISABLED if archived else draw(st.sampled_from(Status)),
                archived=archived,
                requests=draw(st.sampled_from(RequestPolicy)),
                principals=principals,
                allowed=allowed,
                denied=denied,
                branding=draw(brandings),
            )
        )
    policy = draw(st.sampled_from(UnmanagedPolicy))
    return desired(*wanted, unmanaged=policy)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[MarketplaceState, MarketplaceState]:
    found = draw(live_states())
    return draw(desired_states(found)), found


# --- limits and determinism ----------------------------------------------------------------


def limit_violations(plan: Plan) -> list[str]:
    problems = []
    names = [cs.name for w in plan.waves for c in w.chains for cs in c.change_sets]
    if len(set(names)) != len(names):
        problems.append(f"duplicate change-set names {names}")
    for wave in plan.waves:
        for chain in wave.chains:
            for change_set in chain.change_sets:
                problems += _set_violations(change_set.name, change_set.changes)
    return problems


def _set_violations(name: str, changes: tuple[dict[str, Any], ...]) -> list[str]:
    problems = []
    if not CHANGE_SET_NAME.match(name):
        problems.append(f"bad name {name!r}")
    if not 1 <= len(changes) <= MAX_CHANGES_PER_CHANGE_SET:
        problems.append(f"{name}: {len(changes)} changes")
    pairs_ = Counter((c["ChangeType"], c["Entity"].get("Identifier")) for c in changes)
    problems += [f"{name}: {k} twice" for k, n in pairs_.items() if n > 1]
    for change in changes:
        details = change["DetailsDocument"]
        ids = [i for group in details.get("Products", []) for i in group["Ids"]]
        principals = details.get("Principals", [])
        if len(ids) > MAX_IDS_PER_CHANGE or len(set(ids)) != len(ids):
            problems.append(f"{name}: {len(ids)} product ids")
        if len(principals) > MAX_PRINCIPALS_PER_CHANGE or len(set(principals)) != len(principals):
            problems.append(f"{name}: {len(principals)} principals")
        if ("Products" in details and not ids) or ("Principals" in details and not principals):
            problems.append(f"{name}: empty {change['ChangeType']}")
        if details_size(change) > 16_384:
            problems.append(f"{name}: details too long")
    return problems


@SETTINGS
@given(pairs())
def test_plans_respect_the_limits_and_are_deterministic(
    pair: tuple[MarketplaceState, MarketplaceState],
) -> None:
    wanted, found = pair
    plan = make_plan(wanted, found)
    assert limit_violations(plan) == []
    assert make_plan(wanted, found).digest() == plan.digest()
    shuffled = replace(found, experiences=tuple(reversed(found.experiences)))
    assert make_plan(wanted, shuffled).digest() == plan.digest()
    assert plan.has_changes is bool(plan.waves)
    assert [w.index for w in plan.waves] == sorted({w.index for w in plan.waves})


# --- a model of the service -----------------------------------------------------------------


@dataclass
class Live:
    """One experience as the service holds it while the plan is applied."""

    name: str
    description: str | None = None
    status: Status = Status.DISABLED
    archived: bool = False
    requests: RequestPolicy | None = None
    branding: dict[str, str | None] | None = None
    principals: set[str] = field(default_factory=set)
    allowed: set[str] = field(default_factory=set)
    denied: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, e: Experience) -> Live:
        branding = asdict(e.branding) if e.branding is not None else None
        return cls(
            e.name,
            e.description,
            e.status,
            e.archived,
            e.software_requests,
            branding,
            set(e.principals),
            set(e.allowed),
            set(e.denied),
        )

    def experience(self, id: str) -> Experience:
        return have(
            id,
            self.name,
            description=self.description,
            status=self.status,
            archived=self.archived,
            requests=self.requests,
            principals=self.principals,
            allowed=self.allowed,
            denied=self.denied,
            branding=Branding(**self.branding) if self.branding is not None else None,
        )


class Refused(AssertionError):
    """A change the service would refuse, or one that changes nothing."""


_API_FIELDS = {"Title": "title", "Information": "information", "ThemeColor": "theme_color"}
_API_FIELDS["LogoUrl"] = "logo_url"


class Service:
    def __init__(self, found: MarketplaceState) -> None:
        self.state = {e.id: Live.of(e) for e in found.experiences if e.id}
        self.created: dict[str, str] = {}

    def owner(self, principal: str) -> str | None:
        # As the sandbox has it: an archived experience still holds its principals.
        owners = [i for i, e in self.state.items() if principal in e.principals]
        return owners[0] if owners else None

    def run(self, plan: Plan) -> MarketplaceState:
        for wave in plan.waves:
            owners_at_start = {p: self.owner(p) for p in PRINCIPALS}
            for chain in wave.chains:
                for change_set in chain.change_sets:
                    created = self.created.get(change_set.needs_created or "")
                    self.run_set(chain.experience, change_set.changes, owners_at_start, created)
        return live(*(e.experience(i) for i, e in self.state.items()))

    def run_set(
        self,
        key: str,
        changes: tuple[dict[str, Any], ...],
        owners: dict[str, str | None],
        created: str | None,
    ) -> None:
        new_id = None
        types = {c["ChangeType"] for c in changes}
        for change in changes:
            target = change["Entity"].get("Identifier")
            if change["ChangeType"] == "CreateExperience":
                new_id = f"exp-new-{key}"
                self.created[key] = new_id
                self.state[new_id] = Live(change["DetailsDocument"]["Name"])
                self.state[new_id].description = change["DetailsDocument"].get("Description")
                continue
            if target == "$NewExperience.Entity.Identifier":
                if new_id is None:
                    raise Refused(f"{key}: reference without CreateExperience in the set")
                target = new_id
            elif target is None:
                if created is None:
                    raise Refused(f"{key}: no Identifier and no experience created for it")
                target = created
            self.apply(target, change, types, owners)

    def apply(
        self,
        target: str,
        change: dict[str, Any],
        types: set[str],
        owners: dict[str, str | None],
    ) -> None:
        e = self.state[target]
        kind, details = change["ChangeType"], change["DetailsDocument"]
        if e.archived and kind not in ("ReviveExperience", "DisassociateAudience"):
            raise Refused(f"{kind} on archived {target}")
        ids = {i for group in details.get("Products", []) for i in group["Ids"]}
        principals = set(details.get("Principals", []))
        needs_policy = kind in ("AllowProductProcurement", "DenyProductProcurement")
        if needs_policy and e.requests is None and "CreateProcurementPolicy" not in types:
            raise Refused(f"{kind} on {target} without a procurement policy")
        if kind == "ReviveExperience":
            if not e.archived:
                raise Refused(f"revive of active {target}")
            e.archived = False
        elif kind == "RestrictExperience":
            if e.status is not Status.DISABLED:
                raise Refused(f"restrict of enabled {target}")
            e.archived = True
        elif kind == "UpdateExperience":
            self._update(target, e, details)
        elif kind == "CreateProcurementPolicy":
            if e.requests is not None:
                raise Refused(f"second policy on {target}")
            e.requests = RequestPolicy(details["Configuration"]["PolicyResourceRequests"].lower())
        elif kind == "UpdateProcurementPolicy":
            wanted = RequestPolicy(details["Configuration"]["PolicyResourceRequests"].lower())
            if e.requests is None or e.requests is wanted:
                raise Refused(f"idle or impossible policy update on {target}")
            e.requests = wanted
        elif kind in ("CreateBrandingSettings", "UpdateBrandingSettings"):
            self._brand(target, e, kind, details)
        elif kind == "AssociateAudience":
            for p in principals:
                owner = self.owner(p) or owners.get(p)
                if owner not in (None, target) or p in e.principals:
                    raise Refused(f"associate {p} to {target}: owned by {owner}")
            e.principals |= principals
        elif kind == "DisassociateAudience":
            if not principals <= e.principals:
                raise Refused(f"disassociate {principals - e.principals} from {target}")
            e.principals -= principals
        elif kind == "AllowProductProcurement":
            if ids & e.allowed:
                raise Refused(f"allow of allowed {sorted(ids & e.allowed)} on {target}")
            e.allowed |= ids
            e.denied -= ids
        elif kind == "DenyProductProcurement":
            if ids & e.denied:
                raise Refused(f"deny of denied {sorted(ids & e.denied)} on {target}")
            e.denied |= ids
            e.allowed -= ids
        else:
            raise Refused(f"unknown change type {kind}")

    @staticmethod
    def _update(target: str, e: Live, details: dict[str, Any]) -> None:
        before = (e.name, e.description, e.status)
        e.name = details.get("Name", e.name)
        e.description = details.get("Description", e.description)
        if "Status" in details:
            e.status = Status(details["Status"].lower())
        if (e.name, e.description, e.status) == before:
            raise Refused(f"idle update on {target}")

    @staticmethod
    def _brand(target: str, e: Live, kind: str, details: dict[str, Any]) -> None:
        creating = kind == "CreateBrandingSettings"
        if creating == (e.branding is not None):
            raise Refused(f"{kind} on {target} with branding {e.branding}")
        sent = {_API_FIELDS[k]: v for k, v in details.get("Configuration", {}).items()}
        merged = {**dict.fromkeys(_API_FIELDS.values()), **(e.branding or {}), **sent}
        if not creating and merged == e.branding:
            raise Refused(f"idle branding update on {target}")
        e.branding = merged


def unmet(wanted: MarketplaceState, after: MarketplaceState, plan: Plan) -> list[str]:
    """Differences left between each non-frozen desired experience and the end state."""
    by_id = after.by_id()
    problems = []
    for entry, want_e in zip(plan.experiences, wanted.experiences, strict=False):
        end = by_id.get(entry.id or f"exp-new-{entry.key}")
        if end is None:
            problems.append(f"{entry.key}: missing")
            continue
        if end.archived and want_e.archived:
            continue  # frozen but for moves out, which the re-plan below checks
        status = Status.DISABLED if want_e.archived else want_e.status
        seen = (end.name, end.status, end.archived, end.software_requests, end.principals)
        wish = (want_e.name, status, want_e.archived, want_e.software_requests, want_e.principals)
        if seen != wish or end.allowed != want_e.allowed or not want_e.denied <= end.denied:
            problems.append(f"{entry.key}: {seen} != {wish}")
    return problems


@SETTINGS
@given(pairs())
def test_applying_the_plan_converges(pair: tuple[MarketplaceState, MarketplaceState]) -> None:
    wanted, found = pair
    plan = make_plan(wanted, found)
    service = Service(found)
    after = service.run(plan)
    assert unmet(wanted, after, plan) == []
    again = make_plan(wanted, after)
    assert again.waves == (), [e.actions for e in again.experiences if e.actions]
    assert not again.has_changes
