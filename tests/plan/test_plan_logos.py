"""Logo findings in a plan: which URLs are checked, and W501 / W502 where they are written."""

from __future__ import annotations

from collections.abc import Callable

from plan_builders import desired, have, live, want

from pmp_reconcile.model import Branding, Experience, LogoFinding
from pmp_reconcile.plan.document import PlanDocument
from pmp_reconcile.plan.logos import logos_to_check
from pmp_reconcile.plan.make import make_plan
from pmp_reconcile.views.plan_markdown import render_markdown
from pmp_reconcile.views.plan_text import render_text

Golden = Callable[[str, str], None]
NEW = "https://assets.example.org/pmp/new.png"
SAME = "https://assets.example.org/pmp/same.svg"
SLOW = "https://slow.example.org/logo.png"


def branded(key: str, url: str, **fields: object) -> Experience:
    return want(key, key.title(), branding=Branding(title=key.title(), logo_url=url), **fields)


def test_only_the_logos_a_plan_sends_are_checked() -> None:
    wanted = desired(branded("finance", NEW), branded("platform", SAME), want("plain", "Plain"))
    found = live(
        have("exp-f", "Finance", branding=Branding(logo_url="https://old.example.org/a.png")),
        have("exp-p", "Platform", branding=Branding(logo_url=SAME)),
    )
    assert logos_to_check(wanted, found) == (NEW,)


def logo_plan_document() -> PlanDocument:
    wanted = desired(branded("finance", NEW), branded("platform", SLOW))
    findings = [
        LogoFinding(url=NEW, problem="cannot be fetched (HTTP 404)"),
        LogoFinding(
            url=SLOW, problem="did not answer within 3 s, so it was not checked", checked=False
        ),
    ]
    return make_plan(wanted, live(), logos=findings).to_document()


def test_findings_become_w501_and_w502_at_the_file(golden: Golden) -> None:
    document = logo_plan_document()
    warnings = [(w["code"], w["severity"], w.get("location")) for w in document["warnings"]]
    assert ("W501", "warning", "desired_state/experiences/finance.yaml:1:1") in warnings
    assert ("W502", "info", "desired_state/experiences/platform.yaml:1:1") in warnings
    text = render_text(document)
    golden("plan/logo-warnings.text", text.split("\n\n", 1)[0] + "\n")
    markdown = render_markdown(document)
    golden("plan/logo-warnings.md", markdown[: markdown.index("\n| |")] + "\n")
