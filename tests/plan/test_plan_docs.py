"""docs/plan-format.md and docs/operations.md document every plan code and action kind."""

from __future__ import annotations

import re
from pathlib import Path

from pmp_reconcile.plan import codes
from pmp_reconcile.plan.values import ActionKind, ExperienceStatus
from pmp_reconcile.views import plan_markdown, plan_text

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_every_plan_code_has_its_row_in_the_plan_format() -> None:
    rows = re.findall(r"^\| `([WG]\d{3})` \| (\w+) \| (.+) \|$", _read("plan-format.md"), re.M)
    assert rows == [(c.code, c.severity.value, c.meaning) for c in codes.ALL]


def test_every_guardrail_code_is_explained_in_operations() -> None:
    documented = set(re.findall(r"^\| `(G\d{3})` \|", _read("operations.md"), re.M))
    assert documented == {c.code for c in codes.ALL if c.code.startswith("G")}


def test_plan_codes_are_unique_and_their_severity_follows_the_prefix() -> None:
    assert len({c.code for c in codes.ALL}) == len(codes.ALL)
    for code in codes.ALL:
        expected = codes.PREFIX_SEVERITY[code.code[0]]
        assert code.severity is expected or (code.informative and code.code[0] == "W")


def test_every_action_kind_is_listed_in_the_plan_format() -> None:
    text = _read("plan-format.md")
    listed = re.search(r"^Action kinds: (.+?)\.$", text, re.M | re.S)
    assert listed is not None
    assert re.findall(r"`(\w+)`", listed[1]) == [k.value for k in ActionKind]


def test_every_status_and_severity_has_its_presentation() -> None:
    assert set(plan_text.STATUS_SIGNS) == set(ExperienceStatus)
    assert set(plan_markdown.ICONS) == set(ExperienceStatus)
    assert set(plan_markdown.ALERTS) == set(codes.Severity)
