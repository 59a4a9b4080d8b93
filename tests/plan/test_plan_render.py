"""Renderers: golden text, markdown and json of representative plans; markdown size budget."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from plan_builders import (
    ACCOUNT_A,
    ACCOUNT_B,
    ACCOUNT_C,
    ORG,
    OU,
    desired,
    have,
    live,
    plan_for,
    product,
    products,
    want,
)

from pmp_reconcile.model import Branding, Guardrails, RequestPolicy, Status, UnmanagedPolicy
from pmp_reconcile.plan.document import (
    ActionDocument,
    ChainDocument,
    ChangeSetDocument,
    ExperienceDocument,
    PlanDocument,
    SummaryDocument,
    WarningDocument,
    WaveDocument,
)
from pmp_reconcile.plan.values import ActionKind, Plan, Sign
from pmp_reconcile.views.formats import OutputFormat
from pmp_reconcile.views.plan import render, render_json
from pmp_reconcile.views.plan_markdown import (
    BUDGET,
    COMMENT_MARKER,
    GITHUB_COMMENT_LIMIT,
    render_markdown,
)
from pmp_reconcile.views.plan_text import render_text

Golden = Callable[[str, str], None]


def mixed_plan() -> Plan:
    """A bit of everything a reviewer sees: create, update, move, archive, unmanaged."""
    return plan_for(
        desired(
            want(
                "finance",
                "Finance",
                description="Finance | tools",
                status=Status.ENABLED,
                principals=[ACCOUNT_A],
                allowed=[product(1), product(2)],
                denied=[product(9)],
                branding=Branding(title="Finance", theme_color="#112233"),
                notes={product(2): "SR-1042 security review", product(9): "end of life"},
            ),
            want(
                "platform",
                "Platform",
                id="exp-plat",
                requests=RequestPolicy.DENY,
                principals=[ORG, ACCOUNT_B],
                allowed=[product(1)],
                branding=Branding(title="Platform"),
            ),
            want("legacy", "Legacy", archived=True),
            unmanaged=UnmanagedPolicy.WARN,
            aliases={"datadog": product(1), "snyk": product(2)},
        ),
        live(
            have(
                "exp-plat",
                "Platform team",
                status=Status.ENABLED,
                principals=[ACCOUNT_A, ACCOUNT_C],
                allowed=[product(1), product(3)],
                branding=Branding(title="Old", information="Ask first"),
            ),
            have("exp-leg", "Legacy", status=Status.ENABLED, principals=[OU]),
            have("exp-stray", "Stray", principals=[ACCOUNT_B], requests=None),
        ),
    )


def guarded_plan() -> Plan:
    """Guardrail crossings and a chain of change sets for one experience."""
    return plan_for(
        desired(
            want("root", "Root", principals=[ORG], allowed=products(0, 60)),
            guardrails=Guardrails(max_product_removals=5, protected=("root",)),
            unmanaged=UnmanagedPolicy.ARCHIVE,
        ),
        live(
            have(
                "exp-root",
                "Root",
                status=Status.ENABLED,
                principals=[ORG],
                allowed=products(100, 110),
            ),
            have("exp-old", "Old", status=Status.ENABLED),
        ),
    )


def unchanged_plan() -> Plan:
    return plan_for(want("finance", "Finance"), have("exp-1", "Finance"))


def console_drift_plan() -> Plan:
    """Nothing to send, but an experience made in the console governs an account: drift."""
    console = have("exp-9", "Console", status=Status.ENABLED, principals=[ACCOUNT_C])
    return plan_for(want("finance", "Finance"), [have("exp-1", "Finance"), console])


PLANS = {
    "mixed": mixed_plan,
    "guarded": guarded_plan,
    "unchanged": unchanged_plan,
    "console-drift": console_drift_plan,
}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_text_golden(name: str, golden: Golden) -> None:
    text = render_text(PLANS[name]().to_document(), color=False)
    assert "\033" not in text
    golden(f"plan/{name}.text", text)


@pytest.mark.parametrize("name", sorted(PLANS))
def test_markdown_golden(name: str, golden: Golden) -> None:
    golden(f"plan/{name}.md", render_markdown(PLANS[name]().to_document()))


@pytest.mark.parametrize("name", sorted(PLANS))
def test_json_golden(name: str, golden: Golden) -> None:
    document = PLANS[name]().to_document()
    text = render(document, OutputFormat.JSON)
    assert json.loads(text) == document
    golden(f"plan/{name}.json", text)


def test_render_dispatches_by_name() -> None:
    document = mixed_plan().to_document()
    assert render(document, OutputFormat.TEXT) == render_text(document)
    assert render(document, OutputFormat.MARKDOWN) == render_markdown(document)
    assert render(document, OutputFormat.JSON) == render_json(document)
    assert render_json(document).endswith("}\n")


def test_text_high_impact_lines_stand_out() -> None:
    document = mixed_plan().to_document()
    plain = render_text(document, color=False)
    coloured = render_text(document, color=True)
    assert "  ! - remove principals 1: associated live, not listed in the file" in plain
    assert "\033[1;31m  ! - remove principals 1:" in coloured
    assert "\033[1;31m! error" not in coloured  # no guardrail crossings in this plan
    high = [line for line in plain.splitlines() if line.startswith("  ! ")]
    assert len(high) == sum(
        1 for e in document["experiences"] for a in e["actions"] if a["high_impact"]
    )


def test_text_shows_aliases_beside_ids() -> None:
    plain = render_text(mixed_plan().to_document())
    assert f"        + {product(1)} (datadog)" in plain
    assert f"        + {product(2)} (snyk)" in plain


def test_text_ends_with_the_summary_line() -> None:
    plain = render_text(guarded_plan().to_document())
    assert plain.splitlines()[-1].startswith("Plan: 0 to create, 1 to update, 1 to archive;")
    assert plain.splitlines()[0].startswith("! guardrail G001:")


def test_markdown_starts_with_the_marker_and_puts_warnings_first() -> None:
    markdown = render_markdown(guarded_plan().to_document())
    lines = markdown.splitlines()
    assert lines[0] == COMMENT_MARKER
    assert lines[1] == "### pmp-reconcile plan"
    first_warning = lines.index("> [!CAUTION]")
    assert first_warning < lines.index("| | Experience | Id | Changes | High impact |")
    assert "> [!WARNING]" in lines


def test_markdown_escapes_table_breaking_text() -> None:
    markdown = render_markdown(plan_for(want("a|b", "Finance")).to_document())
    assert "| ➕ | a\\|b (Finance) | (new) | 2 |  |" in markdown
    assert "<details><summary><b>a\\|b (Finance)</b>: create</summary>" in markdown


def test_markdown_shows_values_in_code_spans_as_written() -> None:
    plan = plan_for(
        want("finance", "Finance", description="R&D <eu> | ops"),
        have("exp-1", "Finance", description="old"),
    )
    markdown = render_markdown(plan.to_document())
    assert "- `~` **description** `old` → `R&D <eu> | ops`: description differs" in markdown


def huge_document(experiences: int, size: int) -> dict[str, object]:
    wanted = [
        want(f"team-{n:03d}", f"Team {n:03d}", allowed=products(n * 1000, n * 1000 + size))
        for n in range(experiences)
    ]
    return plan_for(wanted).to_document()


def test_markdown_compacts_past_the_budget() -> None:
    document = huge_document(3, 120)
    full = render_markdown(document, budget=10**9)
    compact = render_markdown(document, budget=len(full) - 1)
    assert "<details><summary><b>team-000 (Team 000)</b>: create</summary>" in full
    assert "  - … and 20 more" in full
    assert "<details><summary><b>" not in compact
    assert "per-experience details are in the JSON plan" in compact
    assert compact.startswith(COMMENT_MARKER)
    assert "| ➕ | team-002 (Team 002) | (new) | 3 |  |" in compact
    assert len(compact) < len(full)


def test_markdown_truncates_when_even_the_summary_is_too_long() -> None:
    document = huge_document(3, 1)
    budget = 700
    text = render_markdown(document, budget=budget)
    assert len(text) <= budget
    assert text.startswith(COMMENT_MARKER)
    assert text.endswith(
        "… truncated. _The plan is too large to show in full here: per-experience details are "
        "in the JSON plan (`plan.json` artifact of this run)._\n"
    )


def test_markdown_of_a_huge_plan_fits_a_github_comment() -> None:
    document = huge_document(600, 60)
    text = render_markdown(document)
    assert len(text) <= BUDGET < GITHUB_COMMENT_LIMIT
    assert text.startswith(COMMENT_MARKER)
    assert "truncated" in text
    assert "Plan: 600 to create, 0 to update" in text


def _keys(typed: type) -> tuple[set[str], set[str]]:
    """A TypedDict's required and optional keys."""
    return set(typed.__required_keys__), set(typed.__optional_keys__)  # type: ignore[attr-defined]


def _conforms(value: dict[str, Any], typed: type) -> None:
    required, optional = _keys(typed)
    assert required <= set(value) <= required | optional, typed.__name__


@pytest.mark.parametrize("name", sorted(PLANS))
def test_the_typed_document_is_the_document(name: str) -> None:
    """Views are typed against PlanDocument: it must have exactly the document's keys."""
    document: Any = PLANS[name]().to_document()
    _conforms(document, PlanDocument)
    _conforms(document["summary"], SummaryDocument)
    for experience in document["experiences"]:
        _conforms(experience, ExperienceDocument)
        for action in experience["actions"]:
            _conforms(action, ActionDocument)
    for warning in document["warnings"]:
        _conforms(warning, WarningDocument)
    for wave in document["waves"]:
        _conforms(wave, WaveDocument)
        for chain in wave["chains"]:
            _conforms(chain, ChainDocument)
            for change_set in chain["change_sets"]:
                _conforms(change_set, ChangeSetDocument)


def test_every_creation_is_signed_plus() -> None:
    creations = [kind for kind in ActionKind if kind.value.startswith("create")]
    assert len(creations) == 3
    assert {kind.sign for kind in creations} == {Sign.ADD}


def test_with_nothing_to_change_the_summary_follows_the_warnings() -> None:
    text = render_text(console_drift_plan().to_document())
    assert "\n\n" not in text
    assert text.splitlines()[1].startswith("No changes to send")


def test_branding_shows_each_field_before_and_after_in_every_format() -> None:
    document = mixed_plan().to_document()
    [branding] = [
        a for e in document["experiences"] for a in e["actions"] if a["kind"] == "update_branding"
    ]
    assert branding["fields"] == [
        {"field": "title", "before": "Old", "after": "Platform"},
    ]
    assert "~ title 'Old' → 'Platform'" in render_text(document)
    assert "  - title `Old` → `Platform`" in render_markdown(document)
    created = [a for e in document["experiences"] for a in e["actions"] if "fields" in a]
    assert [a["kind"] for a in created] == ["create_branding", "update_branding"]


def test_notes_sent_with_a_decision_are_shown_beside_the_product() -> None:
    document = mixed_plan().to_document()
    text = render_text(document)
    assert f"+ {product(2)} (snyk)  note: SR-1042 security review" in text
    assert f"- {product(9)}  note: end of life" in text
    assert f"`{product(2)} (snyk)` — note: SR-1042 security review" in render_markdown(document)


def test_a_principal_that_moves_names_where_it_goes() -> None:
    text = render_text(mixed_plan().to_document())
    assert f"leaving first for another experience: {ACCOUNT_A} → 'finance'" in text


def test_a_guardrail_crossing_is_not_labelled_an_error_of_the_plan() -> None:
    text = render_text(guarded_plan().to_document())
    assert "! guardrail G001: " in text
    assert "error" not in text


def test_waves_are_numbered_as_they_run() -> None:
    document = guarded_plan().to_document()
    assert [w["index"] for w in document["waves"]] == [1, 2]
    text = render_text(document)
    assert "  wave 1: reconcile" in text
    assert "  wave 2: archive" in text
    assert "pmp-reconcile exp-old wave 2: RestrictExperience" in text
