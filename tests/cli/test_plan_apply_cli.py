"""``plan`` and ``apply`` run as users run them: a subprocess on a persistent sandbox."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pmp_reconcile.sandbox import (
    PersistentSandbox,
    Progression,
    SandboxSettings,
    StateOptions,
)

from clirun import immediate_sandbox, run_cli

FINANCE = """\
name: Finance
status: enabled
software_requests: deny
principals:
  - ou-ab12-cdefgh12
  - "111111111111"
products:
  allow:
    - splunk
    - prod-aaaaaaaaaaaaa
"""
PRODUCTS = """\
products:
  splunk: 3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69
"""


def write_tree(root: Path, experiences: dict[str, str], pmp: str | None = None) -> Path:
    tree = root / "desired_state"
    (tree / "experiences").mkdir(parents=True, exist_ok=True)
    (tree / "products.yaml").write_text(PRODUCTS, encoding="utf-8")
    for key, text in experiences.items():
        (tree / "experiences" / f"{key}.yaml").write_text(text, encoding="utf-8")
    if pmp is not None:
        (tree / "pmp.yaml").write_text(pmp, encoding="utf-8")
    return tree


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A sandbox home whose change sets finish at once."""
    return immediate_sandbox(tmp_path / "sandbox")


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("--sandbox", *args, home=home)


def live_names(home: Path) -> list[str]:
    with PersistentSandbox(home).session() as marketplace:
        listed = marketplace.dispatch(
            "ListEntities",
            {"Catalog": "AWSMarketplace", "EntityType": "Experience"},
            "111122223333",
        )
    return sorted(s["Name"] for s in listed["EntitySummaryList"])


def test_plan_then_apply_then_plan_again_is_clean(tmp_path: Path, home: Path) -> None:
    tree = write_tree(tmp_path, {"finance": FINANCE})
    planned = run(
        "plan", str(tree), "--detailed-exitcode", "--out", str(tmp_path / "p.json"), home=home
    )
    assert planned.returncode == 2, planned.stderr
    assert "Finance" in planned.stdout
    assert json.loads((tmp_path / "p.json").read_text())["summary"]["has_changes"] is True

    applied = run(
        "apply", str(tree), "--auto-approve", "--report", str(tmp_path / "r.json"), home=home
    )
    assert applied.returncode == 0, applied.stderr
    assert "Apply complete" in applied.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["ok"] is True
    assert {c["outcome"] for c in report["change_sets"]} == {"SUCCEEDED"}

    again = run("plan", str(tree), "--detailed-exitcode", home=home)
    assert again.returncode == 0, again.stdout + again.stderr
    assert live_names(home) == ["Finance"]


def test_apply_without_a_terminal_or_auto_approve_refuses_and_writes_nothing(
    tmp_path: Path, home: Path
) -> None:
    tree = write_tree(tmp_path, {"finance": FINANCE})
    done = run("apply", str(tree), home=home)
    assert done.returncode == 1
    assert "--auto-approve" in done.stderr
    assert live_names(home) == []


def test_an_invalid_tree_fails_before_any_call(tmp_path: Path, home: Path) -> None:
    tree = write_tree(tmp_path, {"finance": FINANCE.replace("status: enabled", "status: on")})
    done = run("plan", str(tree), home=home)
    assert done.returncode == 1
    assert "finance.yaml:2" in done.stderr + done.stdout
    assert not PersistentSandbox(home).state_path.exists()


def test_a_saved_plan_applies_while_fresh_and_is_refused_when_stale(
    tmp_path: Path, home: Path
) -> None:
    tree = write_tree(tmp_path, {"finance": FINANCE})
    assert run("apply", str(tree), "--auto-approve", home=home).returncode == 0
    (tree / "experiences" / "finance.yaml").write_text(
        FINANCE + "description: Approved software\n", encoding="utf-8"
    )
    plan_file = tmp_path / "plan.json"
    assert run("plan", str(tree), "--out", str(plan_file), home=home).returncode == 0
    other = write_tree(tmp_path / "other", {"finance": FINANCE.replace("deny", "allow", 1)})
    assert run("apply", str(other), "--auto-approve", home=home).returncode == 0

    stale = run("apply", "--plan", str(plan_file), "--auto-approve", home=home)
    assert stale.returncode == 1
    assert "stale" in stale.stderr.lower()

    assert run("plan", str(tree), "--out", str(plan_file), home=home).returncode == 0
    fresh = run("apply", "--plan", str(plan_file), "--auto-approve", home=home)
    assert fresh.returncode == 0, fresh.stderr
    assert run("plan", str(tree), "--detailed-exitcode", home=home).returncode == 0


def test_a_tampered_plan_file_is_refused(tmp_path: Path, home: Path) -> None:
    tree = write_tree(tmp_path, {"finance": FINANCE})
    plan_file = tmp_path / "plan.json"
    assert run("plan", str(tree), "--out", str(plan_file), home=home).returncode == 0
    document = json.loads(plan_file.read_text())
    document["experiences"][0]["name"] = "Tampered"
    plan_file.write_text(json.dumps(document))
    done = run("apply", "--plan", str(plan_file), "--auto-approve", home=home)
    assert done.returncode == 1
    assert live_names(home) == []


def test_guardrails_stop_apply_unless_destructive_changes_are_allowed(
    tmp_path: Path, home: Path
) -> None:
    tree = write_tree(tmp_path, {"finance": FINANCE}, pmp="guardrails:\n  protected: [finance]\n")
    assert run("apply", str(tree), "--auto-approve", home=home).returncode == 0
    disabled = FINANCE.replace("status: enabled", "status: disabled")
    (tree / "experiences" / "finance.yaml").write_text(disabled, encoding="utf-8")

    refused = run("apply", str(tree), "--auto-approve", home=home)
    assert refused.returncode == 1
    assert "guardrail" in refused.stderr.lower()
    assert run("plan", str(tree), "--detailed-exitcode", home=home).returncode == 2

    allowed = run("apply", str(tree), "--auto-approve", "--allow-destructive", home=home)
    assert allowed.returncode == 0, allowed.stderr
    assert run("plan", str(tree), "--detailed-exitcode", home=home).returncode == 0


def test_markdown_output_summarises_for_the_job_page(tmp_path: Path, home: Path) -> None:
    tree = write_tree(tmp_path, {"finance": FINANCE})
    done = run("apply", str(tree), "--auto-approve", "--output", "markdown", home=home)
    assert done.returncode == 0
    assert done.stdout.startswith("<!-- pmp-reconcile:plan -->"), "the plan, in markdown too"
    assert "### pmp-reconcile apply" in done.stdout
    assert "| ✅ |" in done.stdout


def test_plan_markdown_carries_the_sticky_comment_marker(tmp_path: Path, home: Path) -> None:
    tree = write_tree(tmp_path, {"finance": FINANCE})
    done = run("plan", str(tree), "--output", "markdown", home=home)
    assert done.returncode == 0
    assert done.stdout.startswith("<!-- pmp-reconcile:plan -->")


def test_killed_mid_apply_then_rerun_converges_without_duplicates(tmp_path: Path) -> None:
    home = tmp_path / "timed"
    timed = StateOptions(progression=Progression(mode="seconds", seconds=0.5))
    PersistentSandbox(home).save_settings(SandboxSettings(state=timed))
    big = FINANCE + "".join(f"    - prod-{n:013d}\n" for n in range(120))
    tree = write_tree(tmp_path, {"finance": big, "ops": "name: Ops\nstatus: enabled\n"})
    env = {**os.environ, "PMP_SANDBOX_HOME": str(home), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "pmp_reconcile", "--sandbox", "apply", str(tree)]
    with subprocess.Popen(
        [*command, "--auto-approve"], stderr=subprocess.PIPE, text=True, env=env
    ) as process:
        assert process.stderr is not None
        deadline = time.monotonic() + 60
        for line in process.stderr:
            if "started" in line or time.monotonic() > deadline:
                break
        process.send_signal(signal.SIGKILL)
        process.wait()
    rerun = run("apply", str(tree), "--auto-approve", home=home)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert live_names(home) == ["Finance", "Ops"]
    assert run("plan", str(tree), "--detailed-exitcode", home=home).returncode == 0


def test_sigterm_starts_nothing_new_waits_and_reports_then_rerun_converges(
    tmp_path: Path,
) -> None:
    home = tmp_path / "timed"
    timed = StateOptions(progression=Progression(mode="seconds", seconds=0.5))
    PersistentSandbox(home).save_settings(SandboxSettings(state=timed))
    big = FINANCE + "".join(f"    - prod-{n:013d}\n" for n in range(120))
    tree = write_tree(tmp_path, {"finance": big})
    with _applying_until_started(tree, home) as process:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "stopping" in err
    assert "Apply interrupted" in out
    assert "SUCCEEDED" in out, "the change set already running is waited for"
    assert "NOT_STARTED" in out
    rerun = run("apply", str(tree), "--auto-approve", home=home)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert live_names(home) == ["Finance"]


@pytest.mark.parametrize(("answer", "code", "names"), [("n", 1, []), ("y", 0, ["Finance"])])
def test_on_a_terminal_apply_shows_the_plan_and_asks(
    tmp_path: Path, home: Path, answer: str, code: int, names: list[str]
) -> None:
    tree = write_tree(tmp_path, {"finance": FINANCE})
    env = {**os.environ, "PMP_SANDBOX_HOME": str(home), "NO_COLOR": "1"}
    main, terminal = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "pmp_reconcile", "--sandbox", "apply", str(tree)],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as process:
        os.write(main, f"{answer}\n".encode())
        out, err = process.communicate(timeout=60)
    os.close(main)
    os.close(terminal)
    assert process.returncode == code, err
    assert "Apply these changes?" in out
    assert "+ experience 'finance'" in out
    assert live_names(home) == names


def test_a_failed_change_set_is_reported_with_its_errors_and_the_file(
    tmp_path: Path, home: Path
) -> None:
    with PersistentSandbox(home).session() as marketplace:
        marketplace.fail_next_change_sets(1, "CLIENT_ERROR")
    tree = write_tree(tmp_path, {"finance": FINANCE})
    report_file = tmp_path / "r.json"
    done = run("apply", str(tree), "--auto-approve", "--report", str(report_file), home=home)
    assert done.returncode == 1
    assert "Apply FAILED" in done.stdout
    report = json.loads(report_file.read_text())
    assert report["ok"] is False
    failed = report["change_sets"][0]
    assert (failed["outcome"], failed["failure_code"]) == ("FAILED", "CLIENT_ERROR")
    error = failed["errors"][0]
    assert error["file"] == str(tree / "experiences" / "finance.yaml")
    assert error["experience"] == "finance"
    assert error["code"] == "INJECTED_FAILURE"
    assert run("apply", str(tree), "--auto-approve", home=home).returncode == 0
    assert live_names(home) == ["Finance"]


CONSOLE_MADE = {
    "name": "Made In The Console",
    "status": "Enabled",
    "procurement_policy": {"allow": ["prod-aaaaaaaaaaaaa"]},
    "audiences": [{"principals": ["222222222222"]}],
}


@pytest.mark.parametrize(("unmanaged", "code"), [("warn", 2), ("ignore", 0)])
def test_an_experience_made_in_the_console_that_governs_accounts_is_drift(
    tmp_path: Path, home: Path, unmanaged: str, code: int
) -> None:
    tree = write_tree(tmp_path, {"finance": FINANCE}, pmp=f"unmanaged_experiences: {unmanaged}\n")
    assert run("apply", str(tree), "--auto-approve", home=home).returncode == 0
    with PersistentSandbox(home).session() as marketplace:
        marketplace.seed({"experiences": [CONSOLE_MADE]})
    done = run("plan", str(tree), "--detailed-exitcode", home=home)
    assert done.returncode == code, done.stdout + done.stderr
    if code == 2:
        assert "matches" not in done.stdout
        assert "1 unmanaged experience governs accounts" in done.stdout
    assert "\n\n\n" not in done.stdout, "one blank line before the summary, not two"


@pytest.mark.parametrize("where", ["missing/dir/out.json", "a-file/out.json"])
def test_an_unwritable_report_or_plan_path_is_refused_before_anything_is_sent(
    tmp_path: Path, home: Path, where: str
) -> None:
    tree = write_tree(tmp_path, {"finance": FINANCE})
    (tmp_path / "a-file").write_text("not a directory", encoding="utf-8")
    bad = tmp_path / where
    commands = (["apply", str(tree), "--auto-approve", "--report"], ["plan", str(tree), "--out"])
    for command in commands:
        done = run(*command, str(bad), home=home)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "internal error" not in done.stderr
        assert str(bad) in done.stderr
        assert "hint:" in done.stderr
        assert live_names(home) == []


def test_a_saved_plan_that_succeeded_succeeds_though_the_tree_changed_since(
    tmp_path: Path, home: Path
) -> None:
    tree = write_tree(tmp_path, {"finance": FINANCE})
    assert run("apply", str(tree), "--auto-approve", home=home).returncode == 0
    finance = tree / "experiences" / "finance.yaml"
    finance.write_text(FINANCE + "description: Approved software\n", encoding="utf-8")
    plan_file = tmp_path / "plan.json"
    assert run("plan", str(tree), "--out", str(plan_file), home=home).returncode == 0
    finance.write_text(FINANCE + "description: Approved software, v2\n", encoding="utf-8")

    done = run("apply", "--plan", str(plan_file), "--auto-approve", home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Apply complete: 1 succeeded." in done.stdout
    assert "set_description" not in done.stdout
    assert "note: the tree changed since the plan was saved: finance: description" in done.stdout


def test_a_second_interrupt_exits_at_once_naming_the_change_sets_still_running(
    tmp_path: Path,
) -> None:
    home = tmp_path / "slow"
    slow = StateOptions(progression=Progression(mode="seconds", seconds=60))
    PersistentSandbox(home).save_settings(SandboxSettings(state=slow))
    tree = write_tree(tmp_path, {"finance": FINANCE})
    with _applying_until_started(tree, home) as process:
        assert process.stderr is not None
        process.send_signal(signal.SIGINT)
        for line in process.stderr:
            if "stopping" in line:
                break
        process.send_signal(signal.SIGINT)
        try:
            _, rest = process.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("the second interrupt must not wait for the running change sets")
    assert process.returncode == 1
    assert "still running: pmp-reconcile finance wave 1 (" in rest
    assert "describe-change-set" in rest


def test_a_region_other_than_the_catalog_region_is_ignored_with_a_note(
    tmp_path: Path, home: Path
) -> None:
    tree = write_tree(tmp_path, {"finance": FINANCE})
    done = run("--region", "eu-west-1", "plan", str(tree), home=home)
    assert done.returncode == 0, done.stderr
    assert (
        "note: the Catalog API is only in us-east-1; --region eu-west-1 is ignored for it"
        in done.stderr
    )


@contextmanager
def _applying_until_started(tree: Path, home: Path) -> Iterator[subprocess.Popen[str]]:
    """``--sandbox apply --auto-approve`` in a subprocess, handed over once a change set started."""
    env = {**os.environ, "PMP_SANDBOX_HOME": str(home), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "pmp_reconcile", "--sandbox", "apply", str(tree)]
    with subprocess.Popen(
        [*command, "--auto-approve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            if "started" in line:
                break
        yield process


def test_a_sandbox_command_ignores_a_profile_this_machine_does_not_have(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sandbox signs with its own credentials; AWS_PROFILE left over from other work must
    not stop it (nor send the user to check a profile the command never uses)."""
    tree = write_tree(tmp_path, {"finance": FINANCE})
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile-here")
    done = run("plan", str(tree), home=home)
    assert done.returncode == 0, done.stderr
    assert "profile" not in done.stderr
    assert done.stderr.startswith(f"sandbox: {home} (")
