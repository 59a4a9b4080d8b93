"""Long applies are predictable: change sets of one experience in a row, and W302."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from plan_builders import have, plan_for, products, want

from pmp_reconcile.plan import codes
from pmp_reconcile.plan.chains import LONG_CHAIN, sequential_change_sets
from pmp_reconcile.plan.values import Plan
from pmp_reconcile.views.plan_markdown import render_markdown
from pmp_reconcile.views.plan_text import render_text

Golden = Callable[[str, str], None]


def allowing(count: int, *, existing: bool = True) -> Plan:
    """``count`` products newly allowed for one experience (live already, or created)."""
    wanted = want("catalog", "Catalog", allowed=products(0, count))
    return plan_for(wanted, have("exp-cat", "Catalog") if existing else ())


def long_chains(plan: Plan) -> list[str]:
    return [w.message for w in plan.warnings if w.code == codes.LONG_CHAIN.code]


def test_three_thousand_new_products_are_sixty_change_sets_in_a_row() -> None:
    plan = allowing(3_000)
    assert sequential_change_sets(plan.waves) == {"catalog": 60}
    assert long_chains(plan) == [
        "experience 'catalog' needs 60 change sets one after another (the API locks an "
        "experience while one runs): apply takes as long as 60 change sets in a row (other "
        "experiences run beside it)"
    ]


@pytest.mark.parametrize(
    ("count", "sets", "warned"),
    [(50, 1, False), (950, 19, False), (1_000, LONG_CHAIN, True), (1_001, 21, True)],
)
def test_the_warning_starts_at_twenty_change_sets(count: int, sets: int, warned: bool) -> None:
    plan = allowing(count)
    assert sequential_change_sets(plan.waves)["catalog"] == sets
    assert bool(long_chains(plan)) is warned


def test_a_created_experience_counts_every_wave_of_its_chain() -> None:
    plan = allowing(3_000, existing=False)
    assert sequential_change_sets(plan.waves)["catalog"] == sum(
        len(c.change_sets) for w in plan.waves for c in w.chains
    )
    assert len(long_chains(plan)) == 1


def test_chains_of_several_experiences_are_counted_apart_and_longest_first() -> None:
    plan = plan_for(
        [
            want("small", "Small", allowed=products(0, 1_000)),
            want("large", "Large", allowed=products(0, 2_000)),
            want("tiny", "Tiny", allowed=products(0, 10)),
        ],
        [have("exp-s", "Small"), have("exp-l", "Large"), have("exp-t", "Tiny")],
    )
    assert sequential_change_sets(plan.waves) == {"small": 20, "large": 40, "tiny": 1}
    assert [w.experience for w in plan.warnings if w.code == "W302"] == ["large", "small"]


def warning_block(text: str) -> str:
    """The rendering up to the first experience: where a reviewer reads the warnings."""
    return text.split("\n\n", 1)[0] + "\n"


def test_long_chain_warning_golden(golden: Golden) -> None:
    document = allowing(3_000).to_document()
    golden("plan/long-chain.text", warning_block(render_text(document)))
    markdown = render_markdown(document)
    golden("plan/long-chain.md", markdown[: markdown.index("\n| |")] + "\n")
