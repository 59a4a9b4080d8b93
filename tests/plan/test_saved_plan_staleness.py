"""A saved plan records the live values it was made from; staleness names every kind of move.

Each test plans over one live marketplace, moves it as someone else would (a field, products,
principals, branding, archiving, an open change set, an experience created or gone), and reads
what the comparison names, per experience key and file. Goldens hold the text and JSON views.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import pytest
from plan_builders import ACCOUNT_A, ACCOUNT_B, desired, have, live, plan_for, product, want

from pmp_reconcile.apply.stale import Move, MoveKind, Staleness, staleness
from pmp_reconcile.errors import StalePlanError
from pmp_reconcile.model import (
    Branding,
    Experience,
    LiveEntity,
    MarketplaceState,
    OpenChangeSet,
    Status,
)
from pmp_reconcile.plan.values import Plan
from pmp_reconcile.views.formats import OutputFormat
from pmp_reconcile.views.stale import render_stale, stale_text
from pmp_reconcile.workflows.saved_plans import ensure_fresh

FINANCE_FILE = "desired_state/experiences/finance.yaml"


def finance(**changes: object) -> Experience:
    base = have(
        "exp-1",
        "Finance",
        description="Approved software",
        status=Status.ENABLED,
        principals=[ACCOUNT_A],
        allowed=[product(0), product(1), product(2)],
        denied=[product(9)],
        branding=Branding(title="Finance", theme_color="#0A66C2"),
    )
    return replace(base, **changes)


def stray(**changes: object) -> Experience:
    return replace(have("exp-9", "Stray", status=Status.ENABLED), **changes)


BEFORE = live(finance(), stray())


def saved_plan() -> Plan:
    """finance gains a product; ops is to be created; Stray has no file."""
    wanted = desired(
        want(
            "finance",
            description="Approved software",
            status=Status.ENABLED,
            principals=[ACCOUNT_A],
            allowed=[product(0), product(1), product(2), product(3)],
            denied=[product(9)],
            branding=Branding(title="Finance", theme_color="#0A66C2"),
        ),
        want("ops", "Ops"),
    )
    return plan_for(wanted, BEFORE)


def bumped(experience: Experience, revision: str = "4") -> Experience:
    """The experience as the API shows it after a change set: a new revision."""
    assert experience.live is not None
    refs = replace(
        experience.live, experience=LiveEntity(id=experience.live.experience.id, revision=revision)
    )
    return replace(experience, live=refs)


def moves_of(now: MarketplaceState) -> dict[str | None, tuple[Move, ...]]:
    found = staleness(saved_plan(), now)
    return {e.key or e.id: e.moves for e in found.experiences}


def test_the_plan_records_every_live_experience_it_read() -> None:
    recorded = saved_plan().to_document()["live"]
    assert recorded["exp-1"] == {
        "name": "Finance",
        "description": "Approved software",
        "status": "enabled",
        "software_requests": "allow",
        "principals": [ACCOUNT_A],
        "allowed": [product(0), product(1), product(2)],
        "denied": [product(9)],
        "branding": {"title": "Finance", "theme_color": "#0A66C2"},
    }
    assert recorded["exp-9"] == {"name": "Stray", "status": "enabled", "software_requests": "allow"}


def test_nothing_moved_is_fresh() -> None:
    assert not staleness(saved_plan(), BEFORE)
    ensure_fresh(saved_plan(), BEFORE)


def test_a_field_moves_with_old_and_new_value() -> None:
    now = live(bumped(finance(description="Edited in the console")), stray())
    assert moves_of(now) == {
        "finance": (
            Move(
                kind=MoveKind.FIELD,
                field="description",
                before="Approved software",
                after="Edited in the console",
            ),
        )
    }


def test_products_allowed_and_denied_by_someone_else_are_named() -> None:
    moved = finance(
        allowed=frozenset({product(0), product(1), product(7)}), denied=frozenset({product(8)})
    )
    assert moves_of(live(moved, stray())) == {
        "finance": (
            Move(kind=MoveKind.ALLOWED, items=(product(7),)),
            Move(kind=MoveKind.UNALLOWED, items=(product(2),)),
            Move(kind=MoveKind.DENIED, items=(product(8),)),
            Move(kind=MoveKind.UNDENIED, items=(product(9),)),
        )
    }


def test_order_of_ids_means_nothing() -> None:
    document = saved_plan().to_document()
    document["live"]["exp-1"]["allowed"].reverse()
    assert not staleness(Plan.from_document(document), BEFORE)


def test_principals_associated_elsewhere_are_named_on_that_experience() -> None:
    now = live(finance(), stray(principals=frozenset({ACCOUNT_B})))
    assert moves_of(now) == {
        "exp-9": (Move(kind=MoveKind.ASSOCIATED, items=(ACCOUNT_B,)),),
    }
    assert moves_of(live(finance(principals=frozenset()), stray()))["finance"] == (
        Move(kind=MoveKind.DISASSOCIATED, items=(ACCOUNT_A,)),
    )


def test_branding_moves_member_by_member() -> None:
    console = Branding(title="Finance (console)", logo_url="https://x")
    now = live(finance(branding=console), stray())
    assert moves_of(now)["finance"] == (
        Move(kind=MoveKind.FIELD, field="branding.logo_url", before=None, after="https://x"),
        Move(kind=MoveKind.FIELD, field="branding.theme_color", before="#0A66C2", after=None),
        Move(
            kind=MoveKind.FIELD, field="branding.title", before="Finance", after="Finance (console)"
        ),
    )


def test_branding_created_elsewhere_names_each_member_set() -> None:
    now = live(finance(), stray(branding=Branding(title="Stray")))
    assert moves_of(now)["exp-9"] == (
        Move(kind=MoveKind.FIELD, field="branding.title", before=None, after="Stray"),
    )


def test_notes_changed_by_hand_are_fields() -> None:
    now = live(finance(notes={product(0): "ask finance first"}), stray())
    assert moves_of(now)["finance"] == (
        Move(kind=MoveKind.FIELD, field="notes.prod-00000", before=None, after="ask finance first"),
    )


def test_an_experience_archived_elsewhere() -> None:
    now = live(finance(), stray(archived=True, status=Status.DISABLED))
    assert moves_of(now)["exp-9"] == (
        Move(kind=MoveKind.FIELD, field="status", before="enabled", after="disabled"),
        Move(kind=MoveKind.FIELD, field="archived", before=False, after=True),
    )


def test_an_experience_gone_since_the_plan() -> None:
    assert moves_of(live(finance())) == {"exp-9": (Move(kind=MoveKind.GONE),)}


def test_an_experience_created_elsewhere_is_named_for_the_file_that_would_create_it() -> None:
    found = staleness(saved_plan(), live(finance(), stray(), have("exp-5", "Ops")))
    assert [(e.key, e.file, e.id, e.moves) for e in found.experiences] == [
        ("ops", "desired_state/experiences/ops.yaml", "exp-5", (Move(kind=MoveKind.CREATED),))
    ]
    other = staleness(saved_plan(), live(finance(), stray(), have("exp-6", "Intruder")))
    assert [(e.key, e.name) for e in other.experiences] == [(None, "Intruder")]


def test_a_change_set_another_tool_has_open_is_named() -> None:
    foreign = OpenChangeSet(
        id="cs-console", name="console edit", status="APPLYING", entity_ids=("procpolicy-1",)
    )
    ours = OpenChangeSet(
        id="cs-ours", name="pmp-reconcile x", status="APPLYING", entity_ids=("exp-1",), ours=True
    )
    now = live(finance(), stray(), open_sets=[foreign, ours])
    named = {"id": "cs-console", "name": "console edit", "status": "APPLYING"}
    assert moves_of(now) == {"finance": (Move(kind=MoveKind.CHANGE_SET, change_set=named),)}


def test_a_revision_that_moved_alone_is_still_stale() -> None:
    assert moves_of(live(bumped(finance(), "7"), stray())) == {
        "finance": (Move(kind=MoveKind.REVISION, field="exp-1", before="3", after="7"),)
    }


def everything_moved() -> MarketplaceState:
    foreign = OpenChangeSet(
        id="cs-console", name="console edit", status="PREPARING", entity_ids=("exp-1",)
    )
    edited = finance(
        description="Edited in the console",
        allowed=frozenset({product(0), product(1), product(2), product(7)}),
        branding=Branding(title="Finance (console)", theme_color="#0A66C2"),
    )
    others = (stray(archived=True, principals=frozenset({ACCOUNT_B})), have("exp-5", "Ops"))
    return live(bumped(edited), *others, open_sets=[foreign])


BY_HAND = {"id": "cs-hand", "name": "console edit", "ended": "2026-11-28T09:12:00Z"}


def test_change_sets_by_others_are_named_only_where_values_moved() -> None:
    found = staleness(saved_plan(), everything_moved())
    assert found.value_moved() == ("exp-1", "exp-9")  # not exp-5, created elsewhere
    authored = found.with_authors({"exp-1": [BY_HAND]})
    assert authored.experiences[0].moves[-1] == Move(kind=MoveKind.CHANGED_BY, change_set=BY_HAND)
    assert authored.experiences[1:] == found.experiences[1:]


def test_stale_text_and_json_goldens(golden: Callable[[str, str], None]) -> None:
    found = staleness(saved_plan(), everything_moved())
    document = found.with_authors({"exp-1": [BY_HAND]}).to_document()
    golden("plan/stale.text", stale_text(document))
    golden("plan/stale.json", render_stale(document, OutputFormat.JSON))


def test_the_error_carries_the_lines_and_the_document() -> None:
    with pytest.raises(StalePlanError) as raised:
        ensure_fresh(saved_plan(), everything_moved())
    error = raised.value
    assert error.message.startswith("the saved plan is stale")
    assert f"  experience 'finance' ({FINANCE_FILE}): 'Finance' exp-1" in error.details
    assert "    description: 'Approved software' → 'Edited in the console'" in error.details
    assert error.document["stale"] is True
    assert json.loads(json.dumps(error.document)) == error.document
    assert "plan --out" in str(error.hint)


def test_many_ids_are_counted_past_the_first_twenty() -> None:
    many = frozenset(product(n) for n in range(100, 150))
    found = staleness(saved_plan(), live(finance(allowed=many | {product(0)}), stray()))
    document = Staleness.model_validate(found.model_dump()).to_document()
    text = stale_text(document)
    assert "products allowed by someone else (50): prod-00100, " in text
    assert ", and 30 more" in text


def test_every_move_kind_reads_as_a_label() -> None:
    assert all(kind.label for kind in MoveKind)
