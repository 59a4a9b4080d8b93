"""The files users copy or reference: workflows, the composite action, the pre-commit hook.

actionlint and zizmor (``make lint``) check the workflows against GitHub's rules; these tests hold
the project's own: every workflow grants least permissions explicitly, actions are pinned to a
commit, checkouts keep no token, the action installs hashed dependencies only, the
composite action uses every input it declares and the workflows pass it only inputs it has.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_NAMES = ("ci", "plan", "apply", "drift", "organizations")
PERMISSION_LEVELS = {"read", "write", "none"}


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a mapping"
    return data


def workflow(name: str) -> dict[Any, Any]:
    return load(WORKFLOWS / f"{name}.yml")


def triggers(document: dict[Any, Any]) -> dict[str, Any]:
    """The `on:` mapping (YAML 1.1 reads a bare `on` key as True)."""
    value = document.get("on", document.get(True))
    assert isinstance(value, dict)
    return value


def steps(document: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def action() -> dict[Any, Any]:
    return load(ROOT / "action.yml")


def test_the_five_workflows_and_nothing_unexpected() -> None:
    assert sorted(p.stem for p in WORKFLOWS.glob("*.y*ml")) == sorted(WORKFLOW_NAMES)


@pytest.mark.parametrize("name", WORKFLOW_NAMES)
def test_workflow_parses_and_grants_explicit_least_permissions(name: str) -> None:
    document = workflow(name)
    assert document["permissions"] == {"contents": "read"}
    for job_name, job in document["jobs"].items():
        granted = job.get("permissions", document["permissions"])
        assert isinstance(granted, dict), f"{name}.{job_name}: permissions must be a mapping"
        assert set(granted.values()) <= PERMISSION_LEVELS


PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+")


def pinned_uses(path: Path) -> list[str]:
    """Every `uses:` line of a file with its trailing comment (YAML drops comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        line.split("uses:", 1)[1].strip()
        for line in lines
        if line.strip().startswith(("uses:", "- uses:"))
    ]


@pytest.mark.parametrize(
    "path", [*(WORKFLOWS / f"{n}.yml" for n in WORKFLOW_NAMES), ROOT / "action.yml"]
)
def test_actions_are_pinned_to_a_commit_with_its_version(path: Path) -> None:
    uses = [u for u in pinned_uses(path) if u != "./"]
    assert uses
    for entry in uses:
        assert PINNED.fullmatch(entry), entry


@pytest.mark.parametrize("name", WORKFLOW_NAMES)
def test_checkouts_keep_no_credentials(name: str) -> None:
    for step in steps(workflow(name)):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_action_installs_only_hashed_dependencies() -> None:
    install = next(s for s in action()["runs"]["steps"] if s.get("name") == "Install pmp-reconcile")
    command = " ".join(install["run"].replace("\\\n", " ").split())
    assert '--require-hashes -r "$GITHUB_ACTION_PATH/requirements-lock.txt"' in command
    assert "--no-deps --no-index --no-build-isolation" in command
    lock = (ROOT / "requirements-lock.txt").read_text(encoding="utf-8")
    pins = [line for line in lock.splitlines() if re.match(r"^[a-z0-9]", line)]
    assert pins
    assert all("==" in pin for pin in pins)
    assert lock.count("--hash=sha256:") >= len(pins)


def test_only_the_jobs_that_need_them_get_write_permissions() -> None:
    writes = {
        f"{name}.{job_name}": sorted(
            k for k, v in job.get("permissions", {}).items() if v == "write"
        )
        for name in WORKFLOW_NAMES
        for job_name, job in workflow(name)["jobs"].items()
    }
    assert {job: granted for job, granted in writes.items() if granted} == {
        "plan.plan": ["id-token", "pull-requests"],
        "apply.apply": ["id-token"],
        "drift.drift": ["id-token", "issues"],
        "organizations.plan": ["id-token"],
        "organizations.apply": ["id-token"],
    }


def test_plan_gives_forks_validate_only() -> None:
    document = workflow("plan")
    assert list(triggers(document)) == ["pull_request"]
    plan_job = document["jobs"]["plan"]
    assert plan_job["needs"] == "validate"
    assert plan_job["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    assert "id-token" not in document["jobs"]["validate"]["permissions"]


def test_apply_is_guarded_by_an_environment_and_never_overlaps_drift() -> None:
    document = workflow("apply")
    assert document["concurrency"] == {"group": "pmp-marketplace", "cancel-in-progress": False}
    assert workflow("drift")["concurrency"] == document["concurrency"]
    assert document["jobs"]["apply"]["environment"] == "pmp-apply"
    assert triggers(document)["push"]["branches"] == ["main"]


def test_drift_runs_on_a_schedule_and_by_hand() -> None:
    assert set(triggers(workflow("drift"))) == {"schedule", "workflow_dispatch"}


def test_every_action_input_is_used() -> None:
    document = action()
    body = yaml.safe_dump(document["runs"])
    for name in document["inputs"]:
        assert f"inputs.{name}" in body, f"action input {name!r} is declared but never used"


def test_every_action_input_used_is_declared() -> None:
    document = action()
    used = set(re.findall(r"inputs\.([\w-]+)", yaml.safe_dump(document["runs"])))
    assert used == set(document["inputs"])


@pytest.mark.parametrize("name", WORKFLOW_NAMES)
def test_workflows_pass_the_action_only_inputs_it_declares(name: str) -> None:
    declared = set(action()["inputs"])
    required = {k for k, v in action()["inputs"].items() if v.get("required")}
    for step in steps(workflow(name)):
        if step.get("uses") == "./":
            assert set(step["with"]) <= declared
            assert required <= set(step["with"])
            assert step["with"]["command"] in {"validate", "plan", "apply"}


def test_the_pre_commit_hook_runs_validate() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "pmp-reconcile-validate"
    assert hook["entry"] == "pmp-reconcile validate"
    assert hook["pass_filenames"] is False


def _matrix(job: dict[str, Any]) -> list[dict[str, str]]:
    rows = job["strategy"]["matrix"]["include"]
    assert isinstance(rows, list)
    return rows


def test_organizations_plan_and_apply_each_organization_with_its_own_roles() -> None:
    jobs = workflow("organizations")["jobs"]
    plans, applies = _matrix(jobs["plan"]), _matrix(jobs["apply"])
    assert [r["org"] for r in plans] == [r["org"] for r in applies]
    for row in plans:
        assert row["plan_role"] == f"PMP_PLAN_ROLE_ARN_{row['org'].upper()}"
    for row in applies:
        assert row["apply_role"] == f"PMP_APPLY_ROLE_ARN_{row['org'].upper()}"
    assert jobs["plan"]["strategy"]["fail-fast"] is False
    assert jobs["apply"]["environment"] == "pmp-apply-${{ matrix.org }}"
    assert jobs["apply"]["concurrency"]["group"] == "pmp-marketplace-${{ matrix.org }}"
    run = next(s for s in jobs["apply"]["steps"] if s.get("uses") == "./")
    assert run["with"]["role-to-assume"] == "${{ vars[matrix.apply_role] }}"
    assert run["with"]["dir"] == "orgs/${{ matrix.org }}/desired_state"


def test_organizations_validate_every_tree_in_one_call() -> None:
    jobs = workflow("organizations")["jobs"]
    (validate,) = [s for s in jobs["validate"]["steps"] if s.get("uses") == "./"]
    trees = [validate["with"]["dir"], *validate["with"]["args"].split()[:-2]]
    assert trees == [f"orgs/{r['org']}/desired_state" for r in _matrix(jobs["plan"])]


def test_the_organizations_workflow_passes_actionlint() -> None:
    actionlint = Path(sys.executable).parent / "actionlint"  # from .[dev], as make lint runs it
    done = subprocess.run(
        [str(actionlint), str(WORKFLOWS / "organizations.yml")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert (done.returncode, done.stdout) == (0, "")
