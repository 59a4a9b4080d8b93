"""The model takes its members as given: the loader and the reader must hand the declared types.

Experiences are plain dataclasses that convert nothing, so a list where a frozenset belongs, or
a string where an enum belongs, would pass unnoticed until set arithmetic or ``is`` comparisons
went wrong in the planner. The two producers of experiences are checked here instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pmp_reconcile.desired.loader import load_desired_state
from pmp_reconcile.model import Branding, Experience, LiveRefs, RequestPolicy, Status

from rig import Rig


def assert_declared_types(experience: Experience) -> None:
    for ids in (experience.principals, experience.allowed, experience.denied):
        assert type(ids) is frozenset, type(ids)
        assert all(type(i) is str for i in ids), ids
    assert type(experience.status) is Status
    assert experience.software_requests is None or type(experience.software_requests) is (
        RequestPolicy
    )
    assert isinstance(experience.notes, Mapping)
    assert all(type(k) is str and type(v) is str for k, v in experience.notes.items())
    assert experience.branding is None or type(experience.branding) is Branding
    assert experience.description is None or type(experience.description) is str


def test_the_loader_hands_frozensets_and_enums() -> None:
    state = load_desired_state(Path("desired_state"))
    assert state.experiences
    assert any(e.allowed and e.notes and e.branding for e in state.experiences)
    for experience in state.experiences:
        assert_declared_types(experience)


def test_the_reader_hands_frozensets_and_enums() -> None:
    rig = Rig()
    rig.marketplace.seed(
        {
            "experiences": [
                {
                    "name": "Team",
                    "description": "team",
                    "status": "Enabled",
                    "procurement_policy": {
                        "requests": "Deny",
                        "allow": ["prod-a", "prod-b"],
                        "deny": ["prod-c"],
                        "notes": {"prod-a": "SR-1"},
                    },
                    "branding": {"title": "Team", "theme_color": "#0A66C2"},
                    "audiences": [{"principals": ["111122223333"]}],
                },
                {"name": "Bare"},
            ]
        }
    )
    team, bare = sorted(rig.live().experiences, key=lambda e: e.name != "Team")
    assert (team.allowed, team.notes) == (frozenset({"prod-a", "prod-b"}), {"prod-a": "SR-1"})
    for experience in (team, bare):
        assert_declared_types(experience)
        assert type(experience.live) is LiveRefs
