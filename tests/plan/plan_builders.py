"""Concise desired and live marketplaces for planner tests, and ways to look into a plan.

Desired experiences come from :func:`want` (a key, and the name defaults to the key), live ones
from :func:`have` (an id, a name, and the live references the reader would fill in).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pmp_reconcile.errors import Location
from pmp_reconcile.model import (
    Branding,
    Experience,
    Guardrails,
    LiveEntity,
    LiveRefs,
    MarketplaceState,
    OpenChangeSet,
    RequestPolicy,
    Settings,
    Status,
    UnmanagedPolicy,
)
from pmp_reconcile.plan.make import make_plan
from pmp_reconcile.plan.pack import WAVE_PURPOSES
from pmp_reconcile.plan.values import Action, ActionKind, ExperiencePlan, Plan

ORG = "o-abcdefghij"
OU = "ou-ab12-cdefgh12"
ACCOUNTS = tuple(f"1000000000{n:02d}" for n in range(100))
ACCOUNT_A, ACCOUNT_B, ACCOUNT_C = ACCOUNTS[:3]


def product(n: int) -> str:
    """A product id that sorts in the order of ``n``."""
    return f"prod-{n:05d}"


def products(start: int, stop: int) -> frozenset[str]:
    return frozenset(product(n) for n in range(start, stop))


def accounts(count: int) -> frozenset[str]:
    return frozenset(ACCOUNTS[:count])


def want(
    key: str,
    name: str | None = None,
    *,
    id: str | None = None,
    description: str | None = None,
    status: Status = Status.DISABLED,
    archived: bool = False,
    requests: RequestPolicy | None = RequestPolicy.ALLOW,
    principals: Iterable[str] = (),
    allowed: Iterable[str] = (),
    denied: Iterable[str] = (),
    branding: Branding | None = None,
    notes: dict[str, str] | None = None,
) -> Experience:
    """A desired experience as the loader makes it from ``experiences/<key>.yaml``."""
    return Experience(
        key=key,
        name=name if name is not None else key.capitalize(),
        id=id,
        description=description,
        status=status,
        archived=archived,
        software_requests=requests,
        principals=frozenset(principals),
        allowed=frozenset(allowed),
        denied=frozenset(denied),
        branding=branding,
        notes=notes or {},
        source=Location(f"desired_state/experiences/{key}.yaml", 1, 1),
    )


def have(
    id: str,
    name: str,
    *,
    revision: str = "3",
    description: str | None = None,
    status: Status = Status.DISABLED,
    archived: bool = False,
    requests: RequestPolicy | None = RequestPolicy.ALLOW,
    principals: Iterable[str] = (),
    allowed: Iterable[str] = (),
    denied: Iterable[str] = (),
    branding: Branding | None = None,
) -> Experience:
    """A live experience as the reader makes it; child entities exist where state needs them."""
    suffix = id.removeprefix("exp-")
    members = frozenset(principals)
    refs = LiveRefs(
        experience=LiveEntity(id=id, revision=revision),
        procurement_policy=(
            LiveEntity(id=f"procpolicy-{suffix}", revision="2") if requests is not None else None
        ),
        branding=LiveEntity(id=f"brandsettings-{suffix}", revision="1") if branding else None,
        audiences=(LiveEntity(id=f"audience-{suffix}", revision="4"),) if members else (),
    )
    return Experience(
        name=name,
        id=id,
        description=description,
        status=status,
        archived=archived,
        software_requests=requests,
        principals=members,
        allowed=frozenset(allowed),
        denied=frozenset(denied),
        branding=branding,
        live=refs,
    )


def desired(
    *experiences: Experience,
    unmanaged: UnmanagedPolicy = UnmanagedPolicy.WARN,
    guardrails: Guardrails | None = None,
    aliases: dict[str, str] | None = None,
) -> MarketplaceState:
    settings = Settings(unmanaged_experiences=unmanaged, guardrails=guardrails or Guardrails())
    return MarketplaceState(experiences=experiences, settings=settings, aliases=aliases or {})


def live(*experiences: Experience, open_sets: Iterable[OpenChangeSet] = ()) -> MarketplaceState:
    return MarketplaceState(experiences=experiences, open_change_sets=tuple(open_sets))


def plan_for(
    wanted: Experience | Iterable[Experience] | MarketplaceState,
    found: Experience | Iterable[Experience] | MarketplaceState = (),
) -> Plan:
    """``make_plan`` with single experiences or sequences accepted for either side."""
    return make_plan(_state(wanted, desired), _state(found, live))


def _state(value: Any, make: Any) -> MarketplaceState:
    if isinstance(value, MarketplaceState):
        return value
    if isinstance(value, Experience):
        return make(value)  # type: ignore[no-any-return]
    return make(*value)  # type: ignore[no-any-return]


def created(key: str) -> str:
    """How these tests write the id AWS gives experience ``key`` when the plan creates it."""
    return f"(id of created {key})"


@dataclass(frozen=True)
class Sent:
    """One planned change with where it sits in the plan."""

    wave: int
    chain: str
    change_set: str
    change: dict[str, Any]
    needs_created: str | None = None

    @property
    def type(self) -> str:
        return str(self.change["ChangeType"])

    @property
    def target(self) -> str | None:
        """The Identifier sent, or :func:`created` for the id of an experience made earlier."""
        if self.needs_created is not None:
            assert "Identifier" not in self.change["Entity"]
            return created(self.needs_created)
        return self.change["Entity"].get("Identifier")  # type: ignore[no-any-return]

    @property
    def details(self) -> dict[str, Any]:
        return self.change["DetailsDocument"]  # type: ignore[no-any-return]

    def ids(self) -> list[str]:
        """Product ids (Allow/Deny) or principals (Associate/Disassociate) the change carries."""
        groups = self.details.get("Products", [])
        return [i for g in groups for i in g["Ids"]] + list(self.details.get("Principals", []))


#: The kind of a wave (1 prepare, 2 reconcile, 3 archive), whatever number it runs as.
WAVE_KIND = {purpose: kind for kind, purpose in WAVE_PURPOSES.items()}


def sent(plan: Plan) -> Iterator[Sent]:
    """Every change sent; ``Sent.wave`` is the wave's kind (see :data:`WAVE_KIND`)."""
    for wave in plan.waves:
        for chain in wave.chains:
            for change_set in chain.change_sets:
                for change in change_set.changes:
                    yield Sent(
                        WAVE_KIND[wave.purpose],
                        chain.experience,
                        change_set.name,
                        change,
                        change_set.needs_created,
                    )


def layout(plan: Plan) -> list[tuple[int, str, list[str]]]:
    """Every change set as ``(wave, name, change types in order)``."""
    return [
        (wave.index, change_set.name, [c["ChangeType"] for c in change_set.changes])
        for wave in plan.waves
        for chain in wave.chains
        for change_set in chain.change_sets
    ]


def of_type(plan: Plan, change_type: str) -> list[Sent]:
    return [s for s in sent(plan) if s.type == change_type]


def experience(plan: Plan, key_or_id: str) -> ExperiencePlan:
    found = [e for e in plan.experiences if key_or_id in (e.key, e.id)]
    assert len(found) == 1, f"{key_or_id}: {[e.key or e.id for e in plan.experiences]}"
    return found[0]


def actions(plan: Plan, key_or_id: str) -> list[Action]:
    return list(experience(plan, key_or_id).actions)


def kinds(plan: Plan, key_or_id: str) -> list[ActionKind]:
    return [a.kind for a in actions(plan, key_or_id)]


def codes(plan: Plan) -> list[str]:
    return [w.code for w in plan.warnings]


def as_live(wanted: Experience, id: str, before: Experience | None = None) -> Experience:
    """The live experience after the plan's intent for ``wanted`` is applied to ``before``.

    Fields the file leaves to live (description, unmanaged branding fields, denials it does
    not mention) keep their ``before`` value.
    """
    kept_branding = before.branding if before else None
    branding = kept_branding
    if wanted.branding is not None:
        merged = {
            field: getattr(wanted.branding, field)
            if getattr(wanted.branding, field) is not None
            else getattr(kept_branding, field, None)
            for field in ("title", "information", "theme_color", "logo_url")
        }
        branding = Branding(**merged)
    denied = (before.denied if before else frozenset()) - wanted.allowed
    removed = (before.allowed if before else frozenset()) - wanted.allowed
    return have(
        id,
        wanted.name,
        description=wanted.description
        if wanted.description is not None
        else (before.description if before else None),
        status=Status.DISABLED if wanted.archived else wanted.status,
        archived=wanted.archived,
        requests=wanted.software_requests
        or (before.software_requests if before else None)
        or RequestPolicy.ALLOW,
        principals=wanted.principals,
        allowed=wanted.allowed,
        denied=denied | wanted.denied | removed,
        branding=branding,
    )
