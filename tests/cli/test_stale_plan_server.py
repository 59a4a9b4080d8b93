"""A saved plan goes stale against an independent emulator: apply says exactly what moved.

The Catalog sandbox listens on 127.0.0.1; the CLI reaches it only through ``--endpoint-url``.
Someone edits the experience's description and allows a product by hand, with their own boto3
client and plain StartChangeSet payloads; ``apply --plan`` must then exit 1, send nothing, and
name the experience key, the old and new description, and the product allowed by hand.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from pmp_reconcile.sandbox import (
    Marketplace,
    Progression,
    SandboxServer,
    SandboxSettings,
    StateOptions,
)

from clirun import run_cli

KEPT, PLANNED, BY_HAND = "prod-keptkeptkeptk", "prod-plannedplanne", "prod-byhandbyhandb"
OU = "ou-ab12-cdefgh12"


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The sandbox over HTTP holding Finance (enabled, one product allowed)."""
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    settings = SandboxSettings(state=StateOptions(progression=Progression(mode="immediate")))
    marketplace = Marketplace(settings.state)
    finance = {
        "name": "Finance",
        "description": "Approved software",
        "status": "Enabled",
        "procurement_policy": {"requests": "Deny", "allow": [KEPT]},
        "audiences": [{"principals": [OU]}],
    }
    marketplace.seed({"experiences": [finance]})
    server = SandboxServer(marketplace, "127.0.0.1", 0, settings)
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


def write_tree(where: Path) -> Path:
    (where / "experiences").mkdir(parents=True)
    (where / "pmp.yaml").write_text("product_checks: off\n", encoding="utf-8")
    (where / "experiences" / "finance.yaml").write_text(
        "name: Finance\ndescription: Approved software\nstatus: enabled\n"
        f"software_requests: deny\nprincipals: [{OU}]\n"
        f"products:\n  allow: [{KEPT}, {PLANNED}]\n",
        encoding="utf-8",
    )
    return where


def catalog(url: str) -> Any:
    return boto3.client("marketplace-catalog", region_name="us-east-1", endpoint_url=url)


def edit_by_hand(url: str) -> None:
    """What a colleague does in the console: a new description, one more product allowed."""
    client = catalog(url)
    listed = client.list_entities(Catalog="AWSMarketplace", EntityType="Experience")
    experience = listed["EntitySummaryList"][0]["EntityId"]
    entity = {"Type": "Experience@1.0", "Identifier": experience}
    changes = [
        {
            "ChangeType": "UpdateExperience",
            "Entity": entity,
            "DetailsDocument": {"Description": "Edited in the console"},
        },
        {
            "ChangeType": "AllowProductProcurement",
            "Entity": entity,
            "DetailsDocument": {"Products": [{"Ids": [BY_HAND]}]},
        },
    ]
    started = client.start_change_set(
        Catalog="AWSMarketplace", ChangeSet=changes, ChangeSetName="console edit"
    )
    described = client.describe_change_set(
        Catalog="AWSMarketplace", ChangeSetId=started["ChangeSetId"]
    )
    assert described["Status"] == "SUCCEEDED", described


def change_set_count(url: str) -> int:
    return len(catalog(url).list_change_sets(Catalog="AWSMarketplace")["ChangeSetSummaryList"])


def test_a_stale_plan_names_the_key_the_old_and_new_description_and_the_product(
    endpoint: str, tmp_path: Path
) -> None:
    tree = write_tree(tmp_path / "desired_state")
    plan_file = tmp_path / "plan.json"
    planned = run_cli("--endpoint-url", endpoint, "plan", str(tree), "--out", str(plan_file))
    assert planned.returncode == 0, planned.stderr
    edit_by_hand(endpoint)
    sent = change_set_count(endpoint)

    refused = run_cli(
        "--endpoint-url", endpoint, "apply", "--plan", str(plan_file), "--auto-approve"
    )

    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "Traceback" not in refused.stderr
    assert "error: the saved plan is stale" in refused.stderr
    assert "experience 'finance' (" in refused.stderr
    assert "finance.yaml" in refused.stderr
    assert "description: 'Approved software' → 'Edited in the console'" in refused.stderr
    assert f"products allowed by someone else (1): {BY_HAND}" in refused.stderr
    assert "change set 'console edit' (" in refused.stderr
    assert "by someone else ended " in refused.stderr
    assert "hint: run `pmp-reconcile plan --out FILE` again" in refused.stderr
    assert change_set_count(endpoint) == sent

    as_data = run_cli(
        "--endpoint-url", endpoint, "apply", "--plan", str(plan_file), "--auto-approve",
        "--output", "json",
    )  # fmt: skip
    assert as_data.returncode == 1
    document = json.loads(as_data.stdout)
    assert document["stale"] is True
    (finance,) = document["experiences"]
    assert finance["key"] == "finance"
    assert finance["file"].endswith("finance.yaml")
    assert {"kind": "products_allowed", "items": [BY_HAND]} in finance["moves"]
    description = {
        "kind": "field",
        "field": "description",
        "before": "Approved software",
        "after": "Edited in the console",
    }
    assert description in finance["moves"]
    (by_hand,) = [m["change_set"] for m in finance["moves"] if m["kind"] == "changed_by"]
    assert by_hand["name"] == "console edit"
    assert change_set_count(endpoint) == sent


def test_plan_names_the_change_sets_made_outside_git_since_the_last_apply(
    endpoint: str, tmp_path: Path
) -> None:
    tree = write_tree(tmp_path / "desired_state")
    applied = run_cli("--endpoint-url", endpoint, "apply", str(tree), "--auto-approve")
    assert applied.returncode == 0, applied.stderr
    clean = run_cli("--endpoint-url", endpoint, "plan", str(tree), "--changed-outside")
    assert clean.returncode == 0, clean.stderr
    assert "Changed outside git" not in clean.stdout
    edit_by_hand(endpoint)

    text = run_cli("--endpoint-url", endpoint, "plan", str(tree), "--changed-outside")
    markdown = run_cli(
        "--endpoint-url", endpoint, "plan", str(tree), "--changed-outside", "--output", "markdown"
    )
    data = run_cli(
        "--endpoint-url", endpoint, "plan", str(tree), "--changed-outside", "--output", "json"
    )

    assert text.returncode == 0, text.stderr
    assert "Changed outside git since pmp-reconcile last applied them:" in text.stdout
    assert "~ experience 'finance' (" in text.stdout
    assert "change set 'console edit' (" in text.stdout
    assert "#### Changed outside git" in markdown.stdout
    assert "change set `console edit`" in markdown.stdout
    (changed,) = json.loads(data.stdout)["changed_outside"]
    assert changed["experience"] == "finance"
    assert changed["since_last_apply"] is True
    assert [c["name"] for c in changed["change_sets"]] == ["console edit"]


def test_an_experience_this_tool_never_applied_says_so(endpoint: str, tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "desired_state")
    seeded = run_cli("--endpoint-url", endpoint, "plan", str(tree), "--changed-outside")
    assert "Changed outside git" not in seeded.stdout  # no change set at all: nothing to say
    edit_by_hand(endpoint)
    done = run_cli("--endpoint-url", endpoint, "plan", str(tree), "--changed-outside")
    assert done.returncode == 0, done.stderr
    assert "change set 'console edit' (" in done.stdout
    assert "none of its latest change sets is pmp-reconcile's" in done.stdout


def test_apply_as_json_prints_one_document_the_result(endpoint: str, tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "desired_state")
    done = run_cli(
        "--endpoint-url", endpoint, "apply", str(tree), "--auto-approve", "--output", "json"
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ok"] is True
    assert [c["outcome"] for c in result["change_sets"]] == ["SUCCEEDED"]
    assert "Plan: 0 to create, 1 to update" in done.stderr  # the plan confirmed, on stderr
    again = run_cli(
        "--endpoint-url", endpoint, "apply", str(tree), "--auto-approve", "--output", "json"
    )
    assert json.loads(again.stdout)["change_sets"] == []


def test_a_plan_of_the_older_format_is_refused_with_a_hint(endpoint: str, tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "desired_state")
    plan_file = tmp_path / "plan.json"
    run_cli("--endpoint-url", endpoint, "plan", str(tree), "--out", str(plan_file))
    document = json.loads(plan_file.read_text(encoding="utf-8"))
    document["format_version"] = 1
    del document["live"]
    plan_file.write_text(json.dumps(document), encoding="utf-8")
    sent = change_set_count(endpoint)
    done = run_cli("--endpoint-url", endpoint, "apply", "--plan", str(plan_file), "--auto-approve")
    assert done.returncode == 1
    assert "it has format_version 1, written by an older pmp-reconcile" in done.stderr
    assert "hint: write a fresh one with `pmp-reconcile plan --out FILE`" in done.stderr
    assert change_set_count(endpoint) == sent
