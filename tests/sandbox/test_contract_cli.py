"""The ``sandbox`` commands: ``reset --seed`` and ``serve``, run as a user runs them."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmp_reconcile.sandbox import PersistentSandbox, SandboxSettings

from clirun import run_cli

SEED_YAML = """\
# a seed in YAML (the sandbox's own document format)
{seed}
"""


def experience_names(home: Path, client_factory: Any) -> list[str]:
    client = client_factory()
    with PersistentSandbox(home).attach(client):
        listed = client.list_entities(Catalog="AWSMarketplace", EntityType="Experience")
    return sorted(s["Name"] for s in listed["EntitySummaryList"])


@pytest.fixture
def seed_document(tmp_path: Path) -> dict[str, Any]:
    """A seed made by the state model itself: one experience, exported."""
    home = tmp_path / "source"
    sandbox = PersistentSandbox(home)
    sandbox.save_settings(SandboxSettings())
    with sandbox.session() as marketplace:
        marketplace.dispatch(
            "StartChangeSet",
            {
                "Catalog": "AWSMarketplace",
                "ChangeSet": [
                    {
                        "ChangeType": "CreateExperience",
                        "Entity": {"Type": "Experience@1.0"},
                        "DetailsDocument": {"Name": "Seeded"},
                    }
                ],
            },
            "111122223333",
        )
        return marketplace.to_document()


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_reset_with_a_seed_loads_it(
    tmp_path: Path, seed_document: dict[str, Any], client_factory: Any, suffix: str
) -> None:
    seed = tmp_path / f"seed{suffix}"
    seed.write_text(json.dumps(seed_document), encoding="utf-8")  # JSON is valid YAML too
    home = tmp_path / "home"
    done = run_cli("sandbox", "reset", "--seed", str(seed), home=home)
    assert done.returncode == 0, done.stderr
    assert str(home) in done.stdout
    assert experience_names(home, client_factory) == ["Seeded"]
    assert (home / "settings.json").exists()


def test_reset_without_a_seed_empties_the_home(
    tmp_path: Path, seed_document: dict[str, Any], client_factory: Any
) -> None:
    home = tmp_path / "home"
    PersistentSandbox(home).reset(seed_document)
    done = run_cli("sandbox", "reset", home=home)
    assert done.returncode == 0, done.stderr
    assert experience_names(home, client_factory) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("experiences: [unclosed", "not valid YAML or JSON"),
        ("- a list\n- not a mapping\n", "mapping at its top level"),
        # plain scalars the resolver takes for numbers or dates that do not construct
        ("experiences:\n  - name: 0b_\n", "bad-seed.yaml:2: '0b_' is not a valid int: quote it"),
        ("experiences:\n  - name: 2024-13-45\n", "'2024-13-45' is not a valid timestamp"),
    ],
)
def test_a_bad_seed_file_is_an_input_error_naming_the_file(
    tmp_path: Path, content: str, expected: str
) -> None:
    seed = tmp_path / "bad-seed.yaml"
    seed.write_text(content, encoding="utf-8")
    done = run_cli("sandbox", "reset", "--seed", str(seed), home=tmp_path / "home")
    assert done.returncode == 1
    assert "bad-seed.yaml" in done.stderr
    assert expected in done.stderr
    assert "hint:" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_seed_file_is_an_input_error(tmp_path: Path) -> None:
    done = run_cli("sandbox", "reset", "--seed", str(tmp_path / "nope.yaml"), home=tmp_path)
    assert done.returncode == 1
    assert "nope.yaml" in done.stderr


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str], Path]]:
    state = tmp_path / "served-state.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "pmp_reconcile", "sandbox", "serve", "--port", "0",
         "--state", str(state), "--progression", "immediate"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    first = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+", first)
    assert match, first + (process.stderr.read() if process.stderr else "")
    try:
        yield match.group(0), process, state
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def test_serve_answers_boto3_and_stops_cleanly_on_sigterm(
    served: tuple[str, subprocess.Popen[str], Path], client_factory: Any
) -> None:
    url, process, state = served
    client = client_factory(endpoint_url=url)
    client.start_change_set(
        Catalog="AWSMarketplace",
        ChangeSet=[
            {
                "ChangeType": "CreateExperience",
                "Entity": {"Type": "Experience@1.0"},
                "DetailsDocument": {"Name": "Served"},
            }
        ],
    )
    listed = client.list_entities(Catalog="AWSMarketplace", EntityType="Experience")
    assert [s["Name"] for s in listed["EntitySummaryList"]] == ["Served"]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    assert "Served" in state.read_text(encoding="utf-8")
