"""The sandbox on disk: state survives processes, and two processes at once lose nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from pmp_reconcile.sandbox import (
    FakeClock,
    PersistentSandbox,
    SandboxSettings,
    StateFile,
    StateOptions,
    persistent_defaults,
)

WORKERS = 3
STARTS_PER_WORKER = 4


def make_client() -> Any:
    return boto3.client(
        "marketplace-catalog",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}),
    )


def create_experience(name: str) -> list[dict[str, Any]]:
    return [
        {
            "ChangeType": "CreateExperience",
            "Entity": {"Type": "Experience@1.0"},
            "DetailsDocument": {"Name": name},
        }
    ]


def experience_names(sandbox: PersistentSandbox) -> list[str]:
    client = make_client()
    with sandbox.attach(client):
        pages = client.get_paginator("list_entities").paginate(
            Catalog="AWSMarketplace", EntityType="Experience"
        )
        return sorted(s["Name"] for page in pages for s in page["EntitySummaryList"])


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home whose change sets finish at once, so counts are final after each call."""
    home = tmp_path / "home"
    PersistentSandbox(home).save_settings(SandboxSettings())
    return home


def test_state_outlives_the_sandbox_object(home: Path) -> None:
    client = make_client()
    with PersistentSandbox(home).attach(client):
        client.start_change_set(Catalog="AWSMarketplace", ChangeSet=create_experience("Kept"))
    assert experience_names(PersistentSandbox(home)) == ["Kept"]
    assert json.loads((home / "state.json").read_text())


def test_reset_empties_the_marketplace_and_keeps_settings(home: Path) -> None:
    sandbox = PersistentSandbox(home)
    client = make_client()
    with sandbox.attach(client):
        client.start_change_set(Catalog="AWSMarketplace", ChangeSet=create_experience("Gone"))
    sandbox.reset()
    assert experience_names(sandbox) == []
    assert sandbox.settings == SandboxSettings()


def test_a_fresh_home_progresses_in_seconds(tmp_path: Path) -> None:
    clock = FakeClock()
    sandbox = PersistentSandbox(tmp_path / "fresh", clock=clock)
    sandbox.reset()
    assert sandbox.settings == persistent_defaults()
    assert json.loads((tmp_path / "fresh" / "settings.json").read_text())["state"][
        "progression"
    ] == {"mode": "seconds", "describes": 2, "seconds": 1.0}
    client = make_client()
    with sandbox.attach(client):
        started = client.start_change_set(
            Catalog="AWSMarketplace", ChangeSet=create_experience("Slow")
        )
        describe = {"Catalog": "AWSMarketplace", "ChangeSetId": started["ChangeSetId"]}
        assert client.describe_change_set(**describe)["Status"] != "SUCCEEDED"
        clock.advance(10)
        assert client.describe_change_set(**describe)["Status"] == "SUCCEEDED"


def test_writes_leave_no_temporary_files(home: Path) -> None:
    sandbox = PersistentSandbox(home)
    client = make_client()
    with sandbox.attach(client):
        for index in range(3):
            client.start_change_set(
                Catalog="AWSMarketplace", ChangeSet=create_experience(f"E{index}")
            )
    assert sorted(p.name for p in home.iterdir()) == ["lock", "settings.json", "state.json"]


def test_session_saves_direct_state_work(home: Path) -> None:
    sandbox = PersistentSandbox(home)
    with sandbox.session() as marketplace:
        marketplace.dispatch(
            "StartChangeSet",
            {"Catalog": "AWSMarketplace", "ChangeSet": create_experience("Direct")},
            "111122223333",
        )
    assert experience_names(sandbox) == ["Direct"]


def test_state_file_saves_after_every_call(tmp_path: Path) -> None:
    path = tmp_path / "serve-state.json"
    store = StateFile.open(path, StateOptions())
    store.dispatch(
        "StartChangeSet",
        {"Catalog": "AWSMarketplace", "ChangeSet": create_experience("Saved")},
        "111122223333",
    )
    reopened = StateFile.open(path, StateOptions())
    listed = reopened.dispatch(
        "ListEntities", {"Catalog": "AWSMarketplace", "EntityType": "Experience"}, "111122223333"
    )
    assert [s["Name"] for s in listed["EntitySummaryList"]] == ["Saved"]


WORKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import boto3

    from pmp_reconcile.sandbox import PersistentSandbox

    home, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    client = boto3.client(
        "marketplace-catalog", region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )
    with PersistentSandbox(Path(home)).attach(client):
        for index in range(count):
            change = {
                "ChangeType": "CreateExperience",
                "Entity": {"Type": "Experience@1.0"},
                "DetailsDocument": {"Name": f"{prefix}-{index}"},
            }
            client.start_change_set(Catalog="AWSMarketplace", ChangeSet=[change])
    """
)


def test_processes_at_once_lose_no_updates(home: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "AWS_CONFIG_FILE": os.devnull}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(home), f"W{n}", str(STARTS_PER_WORKER)],
            cwd=root,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=60)
        assert worker.returncode == 0, errors
    expected = sorted(f"W{n}-{i}" for n in range(WORKERS) for i in range(STARTS_PER_WORKER))
    assert experience_names(PersistentSandbox(home)) == expected
