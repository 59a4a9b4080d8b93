"""``pmp-reconcile import`` run as users run it: a subprocess on a persistent sandbox."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pmp_reconcile.sandbox import PersistentSandbox, Progression, SandboxSettings, StateOptions

from clirun import run_cli

SPLUNK = "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69"
DATADOG = "prod-abcdefghij123"
QUICKBOOKS = "9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
SEED: dict[str, Any] = {
    "experiences": [
        {
            "name": "Finance Unit Experience",
            "description": "Approved software for the finance department",
            "status": "Enabled",
            "procurement_policy": {
                "requests": "Deny",
                "allow": [SPLUNK, DATADOG],
                "deny": [QUICKBOOKS],
                "notes": {DATADOG: "SR-1042 security review"},
            },
            "branding": {
                "title": "Finance Marketplace",
                "information": "Ask #finance-it first",
                "theme_color": "#0A66C2",
                "logo_url": "https://example.com/logo.png",
            },
            "audiences": [
                {"principals": ["123456789012", "ou-ab12-cdefgh12"]},
                {"principals": ["210987654321"]},
            ],
        },
        {"name": "Sandbox Accounts", "procurement_policy": {"allow": [SPLUNK]}},
        {"name": "Legacy", "status": "Enabled", "audiences": [{"principals": ["111111111111"]}]},
    ]
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A sandbox home holding :data:`SEED`, whose change sets finish at once."""
    path = tmp_path / "sandbox"
    immediate = StateOptions(progression=Progression(mode="immediate"))
    sandbox = PersistentSandbox(path)
    sandbox.save_settings(SandboxSettings(state=immediate))
    sandbox.reset(SEED)
    return path


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("--sandbox", *args, home=home)


def snapshot(tree: Path) -> dict[str, str]:
    return {str(p.relative_to(tree)): p.read_text() for p in sorted(tree.rglob("*.yaml"))}


def test_import_writes_a_tree_that_plans_only_the_missing_policy(
    tmp_path: Path, home: Path, golden: Callable[[str, str], None]
) -> None:
    tree = tmp_path / "desired_state"
    done = run("import", "--out", str(tree), home=home)
    assert done.returncode == 0, done.stderr
    assert sorted(snapshot(tree)) == [
        "experiences/finance-unit-experience.yaml",
        "experiences/legacy.yaml",
        "experiences/sandbox-accounts.yaml",
        "pmp.yaml",
    ]
    for name in ("finance-unit-experience.yaml", "legacy.yaml", "sandbox-accounts.yaml"):
        assert f"wrote {tree / 'experiences' / name}" in done.stdout
    assert f"wrote {tree / 'pmp.yaml'}" in done.stdout
    assert "'Legacy' (exp-" in done.stdout
    assert "create_procurement_policy" in done.stdout
    text = (tree / "experiences" / "finance-unit-experience.yaml").read_text()
    live_id = next(line for line in text.splitlines() if line.startswith("id: "))
    golden("importing/finance-unit-experience.yaml", text.replace(live_id, "id: exp-LIVEID"))
    assert "caller: management" in (tree / "pmp.yaml").read_text()

    assert run("validate", str(tree), home=home).returncode == 0
    planned = run(
        "plan", str(tree), "--output", "json", "--out", str(tmp_path / "p.json"), home=home
    )
    assert planned.returncode == 0, planned.stderr

    document = json.loads((tmp_path / "p.json").read_text())
    changed = {
        e["name"]: [a["kind"] for a in e["actions"]]
        for e in document["experiences"]
        if e["actions"]
    }
    assert changed == {"Legacy": ["create_procurement_policy"]}


def test_import_never_overwrites_without_force(tmp_path: Path, home: Path) -> None:
    tree = tmp_path / "desired_state"
    assert run("import", "--out", str(tree), home=home).returncode == 0
    (tree / "experiences" / "legacy.yaml").write_text("name: Legacy\n", encoding="utf-8")
    (tree / "pmp.yaml").write_text("caller: management\nunmanaged_experiences: ignore\n")
    before = snapshot(tree)

    again = run("import", "--out", str(tree), home=home)
    assert again.returncode == 1
    for name in ("finance-unit-experience.yaml", "legacy.yaml", "sandbox-accounts.yaml"):
        assert str(tree / "experiences" / name) in again.stderr
    assert "nothing was written" in again.stderr
    assert "--force" in again.stderr
    assert snapshot(tree) == before

    forced = run("import", "--out", str(tree), "--force", home=home)
    assert forced.returncode == 0, forced.stderr
    assert f"replaced {tree / 'experiences' / 'legacy.yaml'}" in forced.stdout
    assert f"kept {tree / 'pmp.yaml'}" in forced.stdout
    after = snapshot(tree)
    assert after["pmp.yaml"] == before["pmp.yaml"]
    assert after["experiences/legacy.yaml"].startswith("# yaml-language-server")
    assert sorted(after) == sorted(before)


def test_reimport_rewrites_the_file_that_pins_the_experience(tmp_path: Path, home: Path) -> None:
    tree = tmp_path / "desired_state"
    assert run("import", "--out", str(tree), home=home).returncode == 0
    experiences = tree / "experiences"
    (experiences / "legacy.yaml").rename(experiences / "old-systems.yaml")
    forced = run("import", "--out", str(tree), "--force", home=home)
    assert forced.returncode == 0, forced.stderr
    assert sorted(p.name for p in experiences.iterdir()) == [
        "finance-unit-experience.yaml",
        "old-systems.yaml",
        "sandbox-accounts.yaml",
    ]
    assert run("validate", str(tree), home=home).returncode == 0


def test_only_imports_the_experiences_named(tmp_path: Path, home: Path) -> None:
    tree = tmp_path / "out"
    done = run(
        "import",
        "--out",
        str(tree),
        "--only",
        "Sandbox Accounts",
        "--only",
        "Legacy",
        home=home,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(snapshot(tree)) == [
        "experiences/legacy.yaml",
        "experiences/sandbox-accounts.yaml",
        "pmp.yaml",
    ]
    assert "1 live experience(s) not imported and in no file of the tree" in done.stdout
    planned = run("plan", str(tree), "--output", "json", home=home)
    changed = [e["name"] for e in json.loads(planned.stdout)["experiences"] if e["actions"]]
    assert changed == ["Legacy"]


def test_the_caller_reads_and_is_kept_in_the_settings(tmp_path: Path, home: Path) -> None:
    tree = tmp_path / "out"
    done = run("import", "--out", str(tree), "--caller", "delegated-admin", home=home)
    assert done.returncode == 0, done.stderr
    assert "caller: delegated-admin" in (tree / "pmp.yaml").read_text()
    planned = run("plan", str(tree), "--detailed-exitcode", home=home)
    assert planned.returncode == 0, planned.stdout + planned.stderr


def test_only_with_an_unknown_name_fails_and_writes_nothing(tmp_path: Path, home: Path) -> None:
    tree = tmp_path / "out"
    done = run("import", "--out", str(tree), "--only", "Nope", "--only", "Legacy", home=home)
    assert done.returncode == 1
    assert "'Nope'" in done.stderr
    assert not tree.exists()


def test_aliases_of_the_products_file_are_reused(tmp_path: Path, home: Path) -> None:
    tree = tmp_path / "desired_state"
    tree.mkdir()
    (tree / "products.yaml").write_text(f"products:\n  datadog: {DATADOG}\n  splunk: {SPLUNK}\n")
    done = run("import", "--out", str(tree), "--only", "Finance Unit Experience", home=home)
    assert done.returncode == 0, done.stderr
    text = (tree / "experiences" / "finance-unit-experience.yaml").read_text()
    assert (
        "  allow:\n    - id: datadog\n      notes: SR-1042 security review\n    - splunk\n" in text
    )
    planned = run("plan", str(tree), "--detailed-exitcode", home=home)
    # nothing to send; the experiences left out and governing accounts are drift (exit 2)
    assert planned.returncode == 2, planned.stdout + planned.stderr
    assert "No changes to send" in planned.stdout


def test_an_invalid_products_file_stops_the_import(tmp_path: Path, home: Path) -> None:
    tree = tmp_path / "desired_state"
    tree.mkdir()
    (tree / "products.yaml").write_text("products:\n  Bad Alias: prod-x\n")
    done = run("import", "--out", str(tree), home=home)
    assert done.returncode == 1
    assert "products.yaml" in done.stderr
    assert not (tree / "experiences").exists()


def test_import_refuses_an_experiences_directory_that_links_elsewhere(
    tmp_path: Path, home: Path
) -> None:
    tree, elsewhere = tmp_path / "desired_state", tmp_path / "elsewhere"
    tree.mkdir()
    elsewhere.mkdir()
    (tree / "experiences").symlink_to(elsewhere)
    done = run("import", "--out", str(tree), home=home)
    assert done.returncode == 1
    assert f"{tree / 'experiences'} leads outside {tree}; nothing was written" in done.stderr
    assert list(elsewhere.iterdir()) == []
    assert not (tree / "pmp.yaml").exists()


def test_only_into_a_tree_that_has_the_others_calls_none_unmanaged(
    tmp_path: Path, home: Path
) -> None:
    tree = tmp_path / "desired_state"
    assert run("import", "--out", str(tree), home=home).returncode == 0
    again = run("import", "--out", str(tree), "--only", "Legacy", "--force", home=home)
    assert again.returncode == 0, again.stderr
    assert "unmanaged" not in again.stdout
    assert "2 live experience(s) not imported: the tree has a file for each" in again.stdout


def test_the_report_names_the_schema_and_repeats_the_options_in_next(
    tmp_path: Path, home: Path, golden: Callable[[str, str], None]
) -> None:
    done = run_cli("--sandbox", "import", "--out", "adopted", home=home, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = re.sub(r"exp-[a-z0-9]+", "exp-LIVEID", done.stdout)
    golden("importing/import-report.txt", report)
    assert report.endswith("Next: pmp-reconcile --sandbox plan adopted\n")
    experience = (tmp_path / "adopted" / "experiences" / "legacy.yaml").read_text()
    modeline = experience.splitlines()[0]
    schema = modeline.split("$schema=")[1]
    written = tmp_path / "adopted" / "experiences" / schema
    assert json.loads(written.read_text()) == json.loads(run_cli("schema").stdout)
    plan = run_cli("--sandbox", "plan", "adopted", home=home, cwd=tmp_path)
    assert plan.returncode == 0, plan.stderr
