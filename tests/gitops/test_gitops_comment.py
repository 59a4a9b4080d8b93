"""The sticky pull-request comment: the body plan.yml posts, rendered from a golden plan.

The plan workflow finds its own comment by the marker that starts the markdown plan and updates
it in place, so the marker must come first, the workflow must look for that very string, and
the body must fit in one GitHub comment however large the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pmp_reconcile.errors import Location
from pmp_reconcile.model import (
    Branding,
    Experience,
    LiveEntity,
    LiveRefs,
    MarketplaceState,
    RequestPolicy,
    Settings,
    Status,
)
from pmp_reconcile.plan.make import NO_ORIGIN, make_plan
from pmp_reconcile.plan.values import Plan, PlanOrigin
from pmp_reconcile.views.plan_markdown import COMMENT_MARKER, render_markdown
from pmp_reconcile.views.plan_text import render_text

from clirun import run_cli

Golden = Callable[[str, str], None]

ROOT = Path(__file__).resolve().parents[2]
GITHUB_COMMENT_LIMIT = 65_536
ORG = "o-exampleorg01"
OU_FINANCE = "ou-ab12-finance1"
ACCOUNT = "111122223333"
SPLUNK = "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69"
DATADOG = "prod-examplexdatadog1"
LEGACY = "prod-examplexlegacytool"


def wanted(key: str, name: str, **fields: Any) -> Experience:
    source = Location(f"desired_state/experiences/{key}.yaml", 1, 1)
    return Experience(key=key, name=name, source=source, **fields)


def live(id: str, name: str, *, audience: bool, **fields: Any) -> Experience:
    suffix = id.removeprefix("exp-")
    refs = LiveRefs(
        experience=LiveEntity(id=id, revision="7"),
        procurement_policy=LiveEntity(id=f"procpolicy-{suffix}", revision="2"),
        audiences=(LiveEntity(id=f"audience-{suffix}", revision="4"),) if audience else (),
    )
    return Experience(id=id, name=name, live=refs, **fields)


def golden_plan(origin: PlanOrigin = NO_ORIGIN, *more: Experience) -> Plan:
    """A reviewer's everyday plan: tighten the default experience, create a finance one."""
    desired = MarketplaceState(
        experiences=(
            wanted(
                "default",
                "Default Experience",
                status=Status.ENABLED,
                software_requests=RequestPolicy.DENY,
                principals=frozenset({ORG}),
                allowed=frozenset({SPLUNK, DATADOG}),
            ),
            wanted(
                "finance",
                "Finance Unit Experience",
                status=Status.ENABLED,
                principals=frozenset({OU_FINANCE, ACCOUNT}),
                allowed=frozenset({SPLUNK}),
                branding=Branding(title="Finance Marketplace", theme_color="#0A66C2"),
            ),
            *more,
        ),
        settings=Settings(organization_id=ORG),
        aliases={"splunk-enterprise": SPLUNK, "datadog": DATADOG},
    )
    marketplace = MarketplaceState(
        experiences=(
            live(
                "exp-default0example",
                "Default Experience",
                audience=True,
                status=Status.ENABLED,
                principals=frozenset({ORG}),
                allowed=frozenset({SPLUNK, LEGACY}),
            ),
        )
    )
    return make_plan(desired, marketplace, origin=origin)


def sticky_comment(plan: Plan) -> str:
    """What `plan --output markdown` prints and the plan workflow posts."""
    return render_markdown(plan.to_document())


def test_sticky_comment_matches_the_golden_body(golden: Golden) -> None:
    golden("gitops/sticky-comment.md", sticky_comment(golden_plan()))


def test_sticky_comment_starts_with_the_marker_and_fits_a_comment() -> None:
    body = sticky_comment(golden_plan())
    assert body.splitlines()[0] == COMMENT_MARKER
    assert body.count(COMMENT_MARKER) == 1
    assert len(body) < GITHUB_COMMENT_LIMIT


def test_sticky_comment_of_a_huge_plan_still_fits_and_keeps_the_marker() -> None:
    desired = MarketplaceState(
        experiences=tuple(
            wanted(
                f"team-{n:03d}",
                f"Team {n:03d}",
                allowed=frozenset(f"prod-{n:03d}x{p:05d}" for p in range(80)),
            )
            for n in range(400)
        )
    )
    body = sticky_comment(make_plan(desired, MarketplaceState()))
    assert body.startswith(COMMENT_MARKER + "\n")
    assert len(body) < GITHUB_COMMENT_LIMIT


def test_the_workflows_look_for_the_renderers_marker() -> None:
    plan_workflow = (ROOT / ".github" / "workflows" / "plan.yml").read_text(encoding="utf-8")
    assert f'const marker = "{COMMENT_MARKER}";' in plan_workflow
    assert "c.body.startsWith(marker)" in plan_workflow
    assert "updateComment" in plan_workflow


COMMIT = "4f2a9c0d1e2b3a4c5d6e7f8091a2b3c4d5e6f708"


def test_a_sandbox_plan_says_so_first_and_names_its_commit(golden: Golden) -> None:
    body = sticky_comment(golden_plan(PlanOrigin(commit=COMMIT, sandbox=True)))
    golden("gitops/sticky-comment-sandbox.md", body)
    marker, heading, _, commit = body.splitlines()[:4]
    assert marker == COMMENT_MARKER
    assert "against the sandbox" in heading
    assert commit == f"Planned for commit {COMMIT}."


def test_a_sandbox_plan_in_text_says_so_in_its_first_line() -> None:
    document = golden_plan(PlanOrigin(commit=COMMIT, sandbox=True)).to_document()
    first, second, blank = render_text(document).splitlines()[:3]
    assert first == (
        "Planned against the sandbox (the embedded emulator), not the live AWS marketplace."
    )
    assert (second, blank) == (f"Planned for commit {COMMIT}.", "")


def test_with_nothing_to_change_the_summary_follows_the_sandbox_line_at_once() -> None:
    empty = MarketplaceState()
    plan = make_plan(empty, empty, origin=PlanOrigin(sandbox=True))
    first, second = render_text(plan.to_document()).splitlines()
    assert first.startswith("Planned against the sandbox")
    assert second.startswith("No changes.")


def test_a_plan_against_aws_has_no_sandbox_banner() -> None:
    body = sticky_comment(golden_plan(PlanOrigin(commit=COMMIT)))
    assert body.splitlines()[1] == "### pmp-reconcile plan"
    assert "sandbox" not in body


def test_experiences_with_high_impact_changes_are_open_the_others_folded() -> None:
    described = wanted("docs", "Docs", description="Documentation tools")
    plan = golden_plan(NO_ORIGIN, described)
    summaries = [line for line in sticky_comment(plan).splitlines() if "<summary><b>" in line]
    assert summaries == [
        "<details open><summary><b>default (Default Experience)</b>: update</summary>",
        "<details open><summary><b>finance (Finance Unit Experience)</b>: create</summary>",
        "<details><summary><b>docs (Docs)</b>: create</summary>",
    ]


def test_each_change_set_lists_its_change_types() -> None:
    body = sticky_comment(golden_plan())
    assert (
        "  - `pmp-reconcile default wave 1`: UpdateProcurementPolicy, AllowProductProcurement, "
        "DenyProductProcurement"
    ) in body.splitlines()


INVALID_FINANCE = """\
name: Finance
status: live
principals: ou-ab12-finance1
"""


def test_an_invalid_tree_replaces_the_plan_comment(tmp_path: Path, golden: Golden) -> None:
    experiences = tmp_path / "desired_state" / "experiences"
    experiences.mkdir(parents=True)
    (experiences / "finance.yaml").write_text(INVALID_FINANCE, encoding="utf-8")
    done = run_cli(
        "validate", "desired_state", "--output", "markdown", "--commit", COMMIT, cwd=tmp_path
    )
    assert done.returncode == 1
    golden("gitops/invalid-tree-comment.md", done.stdout)
    assert done.stdout.startswith(COMMENT_MARKER + "\n")
    assert f"invalid at commit {COMMIT}" in done.stdout


def test_a_commit_that_is_not_one_is_refused(tmp_path: Path) -> None:
    done = run_cli("validate", str(tmp_path), "--commit", "main; rm -rf /")
    assert done.returncode == 1
    assert "is not a commit id" in done.stderr


def test_the_plan_job_posts_the_invalid_tree_comment_in_place_of_the_plan() -> None:
    plan_workflow = (ROOT / ".github" / "workflows" / "plan.yml").read_text(encoding="utf-8")
    assert "--output markdown --commit ${{ github.event.pull_request.head.sha }}" in plan_workflow
    assert "invalid ? process.env.TREE_MARKDOWN : process.env.PLAN_MARKDOWN" in plan_workflow
    assert "if: steps.tree.outputs.exit-code == '0'" in plan_workflow
