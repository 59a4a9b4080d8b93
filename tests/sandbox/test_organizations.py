"""Organizations in ``--sandbox``: the seed's organization, read by later commands, with no AWS.

Each command is its own process (as users run them), so what one command reads is what
``sandbox reset`` wrote, and what bootstrap changed is what the next command sees.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import boto3
import pytest

from pmp_reconcile.sandbox.organizations import OrganizationsSandbox, OrganizationsUnavailable

from clirun import ROOT, run_cli

SEED = ROOT / "examples" / "sandbox-seed.json"


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A sandbox home reset from the demo seed, and the example tree beside it."""
    shutil.copytree(ROOT / "desired_state", tmp_path / "desired_state")
    done = run_cli("sandbox", "reset", "--seed", str(SEED), home=tmp_path / "home", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path


def cli(where: Path, *args: str) -> str:
    done = run_cli("--sandbox", *args, home=where / "home", cwd=where)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_explain_walks_the_seeded_organization(
    seeded: Path, golden: Callable[[str, str], None]
) -> None:
    golden("sandbox/explain-finance-prod.txt", cli(seeded, "explain", "444444444444"))
    live = cli(seeded, "explain", "666666666666", "--live")
    assert "ou-ab12-fpa00001" in live
    assert "governing experience: default (Default Experience, exp-default4demo1)" in live


def test_bootstrap_dry_run_reads_the_seeded_organization(
    seeded: Path, golden: Callable[[str, str], None]
) -> None:
    text = cli(seeded, "bootstrap", "--dry-run", "--delegated-admin", "222222222222")
    golden("sandbox/bootstrap-dry-run.txt", text)


def test_what_bootstrap_changes_the_next_command_reads(seeded: Path) -> None:
    cli(seeded, "bootstrap", "--delegated-admin", "222222222222")
    again = cli(seeded, "bootstrap", "--dry-run", "--delegated-admin", "222222222222")
    assert "would do" not in again, again
    assert again.count("already") == 3


def test_the_management_account_cannot_be_delegated(seeded: Path) -> None:
    done = run_cli(
        "--sandbox",
        "bootstrap",
        "--delegated-admin",
        "111111111111",
        home=seeded / "home",
        cwd=seeded,
    )
    assert done.returncode == 1
    assert "111111111111 is the management account" in done.stderr


def test_a_home_without_organization_says_how_to_seed_one(tmp_path: Path) -> None:
    run_cli("sandbox", "reset", home=tmp_path / "home", cwd=tmp_path)
    done = run_cli(
        "--sandbox", "explain", "444444444444", "--live", home=tmp_path / "home", cwd=tmp_path
    )
    assert done.returncode == 1
    assert "holds no organization" in done.stderr
    assert "sandbox reset --seed" in done.stderr


def test_a_malformed_organization_is_refused_at_reset(tmp_path: Path) -> None:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    seed["organization"]["root"]["children"][1]["children"][0]["id"] = "22222"
    bad = tmp_path / "bad-seed.json"
    bad.write_text(json.dumps(seed), encoding="utf-8")
    done = run_cli("sandbox", "reset", "--seed", str(bad), home=tmp_path / "home", cwd=tmp_path)
    assert done.returncode == 1
    assert "organization.root.children[1].children[0].id: '22222' is not an account id" in (
        done.stderr
    )
    assert not (tmp_path / "home" / "organization.json").exists()


def test_without_moto_the_sandbox_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = OrganizationsSandbox(tmp_path)
    sandbox.write(json.loads(SEED.read_text(encoding="utf-8"))["organization"])
    monkeypatch.setitem(sys.modules, "moto.core.models", None)
    client = boto3.client(
        "organizations",
        region_name="us-east-1",
        aws_access_key_id="sandbox",
        aws_secret_access_key="sandbox",
    )
    with pytest.raises(OrganizationsUnavailable) as raised:
        sandbox.attach(client)
    assert "moto, which is not installed" in str(raised.value)
    assert raised.value.hint == "pip install 'pmp-reconcile[sandbox]'"


@pytest.mark.parametrize("output", ["text", "mermaid", "json"])
def test_map_draws_the_whole_governance_tree(
    seeded: Path, output: str, golden: Callable[[str, str], None]
) -> None:
    suffix = {"text": "txt", "mermaid": "mmd", "json": "json"}[output]
    golden(f"sandbox/map-desired.{suffix}", cli(seeded, "map", "--output", output))


def test_map_of_the_live_marketplace_shows_what_governs_now(seeded: Path) -> None:
    text = cli(seeded, "map", "--live")
    assert "ou-ab12-finance1 Finance            governed by default\n" in text
    assert "666666666666 fpa-analytics  governed by default\n" in text


def test_plan_org_impact_answers_from_the_seeded_organization(
    seeded: Path, golden: Callable[[str, str], None]
) -> None:
    markdown = cli(seeded, "plan", "--org-impact", "--output", "markdown")
    golden("sandbox/plan-org-impact.md", markdown[markdown.index("### Organization impact") :])
    for account in ("444444444444", "555555555555", "666666666666", "999999999999"):
        assert f"`{account}`" in markdown


def test_explain_draws_the_walk(seeded: Path, golden: Callable[[str, str], None]) -> None:
    chart = cli(seeded, "explain", "777777777777", "--output", "mermaid")
    golden("sandbox/explain-marketing-web.mmd", chart)
