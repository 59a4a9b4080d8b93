"""Governance rules, table-driven: the closest live experience wins; disabled ones are skipped."""

from __future__ import annotations

import pytest

from pmp_reconcile.model import Experience, MarketplaceState, RequestPolicy, Status
from pmp_reconcile.org.governance import govern, may_buy, principal_index

ORG = "o-abcdefghij"
ROOT = "r-ab12"
OU1, OU2, OU3 = "ou-ab12-11111111", "ou-ab12-22222222", "ou-ab12-33333333"
ACCOUNT = "111111111111"
ANCESTRY = (ACCOUNT, OU3, OU2, OU1, ROOT, ORG)


def exp(key: str, *principals: str, status: str = "enabled", **fields: object) -> Experience:
    return Experience(
        key=key,
        name=key.title(),
        status=Status(status),
        principals=frozenset(principals),
        **fields,  # type: ignore[arg-type]
    )


CASES: dict[str, tuple[list[Experience], str | None, list[str | None]]] = {
    "nothing associated": ([], None, [None, None, None, None, None, None]),
    "the organization": ([exp("all", ORG)], "all", [None, None, None, None, None, "all"]),
    "direct account wins": (
        [exp("all", ORG), exp("mine", ACCOUNT)],
        "mine",
        ["mine"],
    ),
    "closest OU wins": ([exp("all", ORG), exp("low", OU3), exp("high", OU1)], "low", [None, "low"]),
    "disabled account skipped": (
        [exp("mine", ACCOUNT, status="disabled"), exp("mid", OU2)],
        "mid",
        ["mine", None, "mid"],
    ),
    "disabled at several levels": (
        [
            exp("mine", ACCOUNT, status="disabled"),
            exp("low", OU3, status="disabled", archived=True),
            exp("mid", OU2, status="disabled"),
            exp("all", ORG),
        ],
        "all",
        ["mine", "low", "mid", None, None, "all"],
    ),
    "all disabled: public marketplace": (
        [exp("low", OU3, status="disabled"), exp("all", ORG, status="disabled")],
        None,
        [None, "low", None, None, None, "all"],
    ),
    "archived but enabled flag is skipped": (
        [exp("low", OU3, archived=True), exp("high", OU1)],
        "high",
        [None, "low", None, "high"],
    ),
    "a root id is never associated": ([exp("odd", ROOT)], None, [None] * 6),
}


@pytest.mark.parametrize("case", list(CASES))
def test_governing_experience_and_walk(case: str) -> None:
    experiences, governing, walk = CASES[case]
    result = govern(ANCESTRY, principal_index(MarketplaceState(experiences=tuple(experiences))))
    assert (result.governing.key if result.governing else None) == governing
    assert [s.experience.key if s.experience else None for s in result.steps] == walk
    assert [s.id for s in result.steps] == list(ANCESTRY[: len(walk)])


def test_walk_reports_kinds() -> None:
    result = govern(ANCESTRY, {})
    kinds = [s.kind.value for s in result.steps]
    assert kinds == ["account", "ou", "ou", "ou", "root", "organization"]


PRODUCT = "prod-aaaaaaaaaaaaa"
VERDICTS = {
    "no governing experience": (None, True, "public marketplace"),
    "no procurement policy": (exp("open", software_requests=None), True, "no procurement policy"),
    "allowed": (exp("shop", allowed=frozenset({PRODUCT})), True, "allowed in experience 'shop'"),
    "denied": (exp("shop", denied=frozenset({PRODUCT})), False, "denied in experience 'shop'"),
    "not listed, requests allowed": (exp("shop"), False, "users may request it"),
    "not listed, requests denied": (
        exp("shop", software_requests=RequestPolicy.DENY),
        False,
        "not allowed in experience 'shop'",
    ),
}


@pytest.mark.parametrize("case", list(VERDICTS))
def test_may_buy(case: str) -> None:
    governing, allowed, reason = VERDICTS[case]
    verdict = may_buy(governing, PRODUCT)
    assert verdict.allowed is allowed
    assert reason in verdict.reason
    if case == "not listed, requests denied":
        assert "request" not in verdict.reason
