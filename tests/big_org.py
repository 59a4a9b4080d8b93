"""Organizations of a chosen size for the impact and map tests: OUs of accounts under a root."""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from pmp_reconcile.model import (
    Experience,
    LiveEntity,
    LiveRefs,
    MarketplaceState,
    Settings,
    Status,
    UnmanagedPolicy,
)
from pmp_reconcile.org.governance_map import GovernanceMap, governance_map
from pmp_reconcile.org.tree import OrgTree

ORG, ROOT = "o-bigorgbig01", "r-bg12"
P1, P2, P3 = "prod-one1one1one1o", "prod-two2two2two2t", "prod-three3three3t"


def ou_id(index: int) -> str:
    return f"ou-bg12-team{index:04d}"


def account_id(ou: int, index: int) -> str:
    return f"{100000000000 + ou * 1000 + index}"


def big_tree(ous: int, accounts_per_ou: int) -> OrgTree:
    """``ous`` OUs under the root, each holding ``accounts_per_ou`` accounts (named)."""
    parents: dict[str, str] = {}
    names: dict[str, str] = {ROOT: "Root"}
    for ou in range(ous):
        parents[ou_id(ou)] = ROOT
        names[ou_id(ou)] = f"team {ou}"
        for index in range(accounts_per_ou):
            parents[account_id(ou, index)] = ou_id(ou)
    return OrgTree(ORG, ROOT, MappingProxyType(parents), MappingProxyType(names))


def live(id_: str, name: str, principals: Iterable[str], allowed: Iterable[str]) -> Experience:
    refs = LiveRefs(experience=LiveEntity(id=id_, revision="1"))
    return Experience(
        id=id_,
        name=name,
        status=Status.ENABLED,
        live=refs,
        principals=frozenset(principals),
        allowed=frozenset(allowed),
    )


def desired(key: str, principals: Iterable[str], allowed: Iterable[str]) -> Experience:
    return Experience(
        key=key,
        name=key.title(),
        status=Status.ENABLED,
        principals=frozenset(principals),
        allowed=frozenset(allowed),
    )


def state(*experiences: Experience, archive: bool = False) -> MarketplaceState:
    """A marketplace; ``archive``: unmanaged live experiences are archived (pmp.yaml)."""
    policy = UnmanagedPolicy.ARCHIVE if archive else UnmanagedPolicy.WARN
    return MarketplaceState(
        experiences=experiences, settings=Settings(unmanaged_experiences=policy)
    )


def large_map() -> GovernanceMap:
    """500 accounts in 100 OUs; a third of the OUs have their own experience."""
    experiences = (desired(f"team{i}", [ou_id(i)], [P3]) for i in range(0, 100, 3))
    return governance_map(state(desired("base", [ORG], [P1]), *experiences), big_tree(100, 5))
