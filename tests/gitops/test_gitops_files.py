"""The files users copy or reference: workflows, the composite action, the pre-commit hook.

actionlint (``make lint``) checks the workflows against GitHub's rules; these tests hold the
project's own: every workflow grants least permissions explicitly, actions are pinned, the
composite action uses every input it declares and the workflows pass it only inputs it has.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_NAMES = ("ci", "plan", "apply", "drift")
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


def test_the_four_workflows_and_nothing_unexpected() -> None:
    assert sorted(p.stem for p in WORKFLOWS.glob("*.y*ml")) == sorted(WORKFLOW_NAMES)


@pytest.mark.parametrize("name", WORKFLOW_NAMES)
def test_workflow_parses_and_grants_explicit_least_permissions(name: str) -> None:
    document = workflow(name)
    assert document["permissions"] == {"contents": "read"}
    for job_name, job in document["jobs"].items():
        granted = job.get("permissions", document["permissions"])
        assert isinstance(granted, dict), f"{name}.{job_name}: permissions must be a mapping"
        assert set(granted.values()) <= PERMISSION_LEVELS


@pytest.mark.parametrize("name", WORKFLOW_NAMES)
def test_actions_are_pinned_to_a_version(name: str) -> None:
    for step in steps(workflow(name)):
        uses = step.get("uses")
        if uses is not None and uses != "./":
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+(\.\d+)*", uses), uses


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
    }


def test_plan_gives_forks_validate_only() -> None:
    document = workflow("plan")
    assert list(triggers(document)) == ["pull_request"]
    plan_job = document["jobs"]["plan"]
    assert plan_job["needs"] == "validate"
    assert plan_job["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    assert "id-token" not in document["jobs"]["validate"]["permissions"]


def test_apply_is_guarded_by_an_environment_and_never_overlaps() -> None:
    document = workflow("apply")
    assert document["concurrency"] == {"group": "pmp-apply", "cancel-in-progress": False}
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
