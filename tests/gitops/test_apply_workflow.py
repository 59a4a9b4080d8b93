"""apply.yml in two jobs, driven on the sandbox with the arguments the workflow gives.

The plan job saves the plan it shows as an artifact; the environment-gated apply job sends
exactly that file with ``apply --plan``. Both steps run here as the composite action runs them
(one process each, in separate workspaces holding the same tree), the artifact handed over as
upload and download would, and a stale artifact is refused with nothing sent.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmp_reconcile.sandbox import PersistentSandbox

from clirun import immediate_sandbox, run_cli

ROOT = Path(__file__).resolve().parents[2]
COMMIT = "0123456789abcdef0123456789abcdef01234567"
#: The expressions apply.yml puts in its arguments, as a push to main evaluates them.
EXPRESSIONS = {
    "${{ github.sha }}": COMMIT,
    "${{ inputs.allow-destructive && '--allow-destructive' || '' }}": "",
}
FINANCE = """\
name: Finance
status: enabled
software_requests: deny
principals:
  - "111111111111"
products:
  allow:
    - prod-aaaaaaaaaaaaa
"""


def apply_workflow() -> dict[str, Any]:
    text = (ROOT / ".github" / "workflows" / "apply.yml").read_text(encoding="utf-8")
    document: dict[str, Any] = yaml.safe_load(text)
    return document


def action_step(job: dict[str, Any]) -> dict[str, Any]:
    (step,) = [s for s in job["steps"] if s.get("uses") == "./"]
    return step


def arguments(step: dict[str, Any]) -> list[str]:
    """The step's ``args`` with its expressions evaluated, split as the action splits them."""
    text = re.sub(r"\$\{\{.*?\}\}", lambda m: EXPRESSIONS[m.group(0)], step["with"]["args"])
    return text.split()


def run_step(step: dict[str, Any], workspace: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """What action.yml runs: global options, the command, the tree, then the extra arguments."""
    command = step["with"]["command"]
    global_options = ["--region", "us-east-1", "--no-color", "--sandbox"]
    args = [*global_options, command, step["with"]["dir"], *arguments(step)]
    return run_cli(*args, home=home, cwd=workspace)


def checkout(root: Path, finance: str = FINANCE) -> Path:
    """A workspace holding the tree, as actions/checkout leaves it."""
    experiences = root / "desired_state" / "experiences"
    experiences.mkdir(parents=True)
    (experiences / "finance.yaml").write_text(finance, encoding="utf-8")
    return root


def change_sets(home: Path) -> int:
    with PersistentSandbox(home).session() as marketplace:
        listed = marketplace.dispatch(
            "ListChangeSets", {"Catalog": "AWSMarketplace"}, "111122223333"
        )
    return len(listed["ChangeSetSummaryList"])


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return immediate_sandbox(tmp_path / "sandbox")


def hand_over(plan_job: dict[str, Any], apply_job: dict[str, Any], source: Path, to: Path) -> None:
    """The artifact the plan job uploads, downloaded by name into the apply job's workspace."""
    (upload,) = [s for s in plan_job["steps"] if "upload-artifact" in str(s.get("uses"))]
    (download,) = [s for s in apply_job["steps"] if "download-artifact" in str(s.get("uses"))]
    assert download["with"]["name"] == upload["with"]["name"]
    shutil.copy(source / upload["with"]["path"], to / upload["with"]["path"])


def plan_then_hand_over(tmp_path: Path, home: Path) -> tuple[Path, dict[str, Any]]:
    document = apply_workflow()
    plan_job, apply_job = document["jobs"]["plan"], document["jobs"]["apply"]
    planner, applier = checkout(tmp_path / "plan-job"), checkout(tmp_path / "apply-job")
    planned = run_step(action_step(plan_job), planner, home)
    assert planned.returncode == 2, planned.stderr  # --detailed-exitcode: changes to apply
    assert plan_job["outputs"]["changes"] == "${{ steps.plan.outputs.exit-code == '2' }}"
    assert planned.stdout.startswith("<!-- pmp-reconcile:plan -->\n")
    assert f"Planned for commit {COMMIT}." in planned.stdout
    hand_over(plan_job, apply_job, planner, applier)
    return applier, apply_job


def test_the_apply_job_sends_exactly_the_plan_artifact(tmp_path: Path, home: Path) -> None:
    applier, apply_job = plan_then_hand_over(tmp_path, home)
    saved = json.loads((applier / "plan.json").read_text(encoding="utf-8"))
    assert saved["commit"] == COMMIT
    applied = run_step(action_step(apply_job), applier, home)
    assert applied.returncode == 0, applied.stderr
    report = json.loads((applier / "report.json").read_text(encoding="utf-8"))
    assert report["plan_digest"] == saved["digest"]
    assert change_sets(home) == saved["summary"]["change_sets"]


def test_a_stale_plan_artifact_is_refused_with_nothing_sent(tmp_path: Path, home: Path) -> None:
    applier, apply_job = plan_then_hand_over(tmp_path, home)
    meanwhile = checkout(tmp_path / "meanwhile", FINANCE.replace("deny", "allow", 1))
    moved = run_cli(
        "--sandbox", "apply", str(meanwhile / "desired_state"), "--auto-approve", home=home
    )
    assert moved.returncode == 0, moved.stderr
    sent = change_sets(home)

    refused = run_step(action_step(apply_job), applier, home)
    assert refused.returncode == 1
    assert "stale" in refused.stderr.lower()
    assert change_sets(home) == sent
    assert not (applier / "report.json").exists()


def test_the_apply_job_waits_in_the_environment_for_the_plan_jobs_changes() -> None:
    jobs = apply_workflow()["jobs"]
    assert jobs["apply"]["needs"] == "plan"
    assert jobs["apply"]["environment"] == "pmp-apply"
    assert jobs["apply"]["if"] == "needs.plan.outputs.changes == 'true'"
    assert "environment" not in jobs["plan"]
    assert action_step(jobs["plan"])["with"]["role-to-assume"] == "${{ vars.PMP_PLAN_ROLE_ARN }}"
    assert action_step(jobs["apply"])["with"]["role-to-assume"] == "${{ vars.PMP_APPLY_ROLE_ARN }}"
    assert arguments(action_step(jobs["apply"]))[:2] == ["--plan", "plan.json"]


def test_a_sandbox_plan_is_never_sent_elsewhere(tmp_path: Path, home: Path) -> None:
    workspace = checkout(tmp_path / "local")
    tree, plan = workspace / "desired_state", workspace / "plan.json"
    assert run_cli("--sandbox", "plan", str(tree), "--out", str(plan), home=home).returncode == 0
    endpoint = "http://127.0.0.1:9"  # nothing listens: the refusal comes before any call
    refused = run_cli("--endpoint-url", endpoint, "apply", "--plan", str(plan), "--auto-approve")
    assert refused.returncode == 1
    assert "made against the sandbox, not AWS; nothing was sent" in refused.stderr
    assert change_sets(home) == 0
