"""Views of what a saved plan recorded (``show``) and of changes made outside git (``plan
--changed-outside``): goldens, and the tables they rely on held complete."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from plan_builders import ACCOUNT_A, desired, have, live, plan_for, product, products, want

from pmp_reconcile.model import Branding, Status
from pmp_reconcile.plan.document import PlanDocument
from pmp_reconcile.plan.values import ActionKind
from pmp_reconcile.views.formats import OutputFormat
from pmp_reconcile.views.outside import (
    render_outside_markdown,
    render_outside_text,
    with_outside,
)
from pmp_reconcile.views.recorded import (
    FIELDS_OF,
    render_recorded_markdown,
    render_recorded_text,
)
from pmp_reconcile.views.saved_plan import render_saved_plan

Golden = Callable[[str, str], None]


def test_every_action_kind_names_the_values_it_was_planned_against() -> None:
    assert set(FIELDS_OF) == set(ActionKind)


def recorded_plan_document() -> PlanDocument:
    wanted = desired(
        want(
            "finance",
            description="Software for finance",
            status=Status.ENABLED,
            principals=[ACCOUNT_A],
            allowed=products(0, 30),
            branding=Branding(title="Finance"),
        ),
        want("ops", "Ops"),
    )
    found = live(
        replace(
            have(
                "exp-1",
                "Finance",
                description="Approved software",
                allowed=products(5, 40),
                denied=[product(99)],
                branding=Branding(title="Old", theme_color="#0A66C2"),
            ),
            notes={product(5): "ask first"},
        ),
        have("exp-2", "Unchanged"),
    )
    return plan_for(wanted, found).to_document()


def test_recorded_values_goldens(golden: Golden) -> None:
    document = recorded_plan_document()
    golden("plan/recorded.text", render_recorded_text(document))
    golden("plan/recorded.md", render_recorded_markdown(document))


def test_show_puts_recorded_values_after_the_plan_and_json_keeps_them_as_data() -> None:
    document = recorded_plan_document()
    text = render_saved_plan(document, OutputFormat.TEXT)
    assert text.endswith(render_recorded_text(document))
    assert "description: 'Approved software'" in text
    assert "allowed (35): prod-00005, " in text
    assert ", and 15 more" in text
    assert "note on prod-00005: 'ask first'" in text
    assert '"live": {' in render_saved_plan(document, OutputFormat.JSON)


def test_a_plan_without_live_experiences_shows_no_recorded_block() -> None:
    document = plan_for(want("ops")).to_document()
    assert render_recorded_text(document) == ""
    assert render_recorded_markdown(document) == ""


CHANGED = [
    {
        "experience": "finance",
        "file": "desired_state/experiences/finance.yaml",
        "id": "exp-1",
        "since_last_apply": True,
        "change_sets": [
            {"id": "cs-2", "name": "console edit", "ended": "2026-11-28T09:12:00Z"},
            {"id": "cs-1", "name": "other tool", "ended": "2026-11-27T17:40:00Z"},
        ],
    },
    {
        "experience": "ops",
        "file": None,
        "id": "exp-2",
        "since_last_apply": False,
        "change_sets": [{"id": "cs-0", "name": "seeded", "ended": "2026-11-01T00:00:00Z"}],
    },
]


def test_changed_outside_goldens(golden: Golden) -> None:
    golden("plan/changed-outside.text", render_outside_text(CHANGED))
    golden("plan/changed-outside.md", render_outside_markdown(CHANGED))


def test_nothing_changed_outside_adds_nothing_but_the_json_member() -> None:
    assert with_outside("plan\n", [], OutputFormat.TEXT) == "plan\n"
    assert with_outside("plan\n", [], OutputFormat.MARKDOWN) == "plan\n"
    assert with_outside('{"a": 1}', [], OutputFormat.JSON) == (
        '{\n  "a": 1,\n  "changed_outside": []\n}\n'
    )
