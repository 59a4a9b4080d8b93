"""``products search`` and ``products show`` run as users run them, with golden outputs.

The sandbox home holds the example seed (a dozen products); one test reaches an HTTP sandbox
through ``AWS_ENDPOINT_URL_MARKETPLACE_DISCOVERY`` alone, as any other emulator would be.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from pmp_reconcile.desired.loader import load_with_findings
from pmp_reconcile.sandbox import (
    FaultSettings,
    Marketplace,
    PersistentSandbox,
    SandboxSettings,
    serve,
)

from clirun import ROOT, run_cli

SEED = ROOT / "examples" / "sandbox-seed.json"
TREE = ROOT / "desired_state"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "sandbox"
    PersistentSandbox(path).reset(json.loads(SEED.read_text(encoding="utf-8")))
    return path


@pytest.mark.parametrize("output", ["text", "json", "yaml"])
def test_search_has_its_golden_output(home: Path, golden: object, output: str) -> None:
    done = run_cli("--sandbox", "products", "search", "datadog", "--output", output, home=home)
    assert done.returncode == 0, done.stderr
    golden(f"products/search-datadog.{output}", done.stdout)  # type: ignore[operator]


def test_search_yaml_is_a_products_yaml_that_validates(home: Path, tmp_path: Path) -> None:
    done = run_cli(
        "--sandbox",
        "products",
        "search",
        "a",
        "--max-results",
        "100",
        "--output",
        "yaml",
        home=home,
    )
    tree = tmp_path / "tree"
    (tree / "experiences").mkdir(parents=True)
    (tree / "products.yaml").write_text(done.stdout, encoding="utf-8")
    aliases = yaml.safe_load(done.stdout)["products"]
    (tree / "experiences" / "all.yaml").write_text(
        "name: All\nproducts:\n  allow:\n" + "".join(f"    - {a}\n" for a in aliases),
        encoding="utf-8",
    )
    state, findings = load_with_findings(tree)
    assert state is not None, findings
    assert len(state.experiences[0].allowed) == len(aliases) >= 10


def test_a_search_that_finds_nothing_says_so(home: Path) -> None:
    done = run_cli("--sandbox", "products", "search", "no such thing", home=home)
    assert (done.returncode, done.stdout) == (0, 'No listing matches "no such thing".\n')


@pytest.mark.parametrize("output", ["text", "json"])
def test_show_names_ids_and_aliases(home: Path, golden: object, output: str) -> None:
    args = ["datadog", "quickbooks-connector", "prod-examplexsnowflake", "prod-nosuch"]
    done = run_cli(
        "--sandbox", "products", "show", *args, "--dir", str(TREE), "--output", output, home=home
    )
    assert done.returncode == 0, done.stderr
    golden(f"products/show.{output}", done.stdout)  # type: ignore[operator]


def test_show_refuses_what_is_neither_alias_nor_id(home: Path) -> None:
    done = run_cli(
        "--sandbox", "products", "show", "splunk enterprise", "--dir", str(TREE), home=home
    )
    assert done.returncode == 1
    assert "'splunk enterprise' is neither a product id nor an alias" in done.stderr
    assert "did you mean the alias 'splunk-enterprise'?" in done.stderr


def test_show_without_permission_is_an_error(home: Path) -> None:
    sandbox = PersistentSandbox(home)
    settings = sandbox.settings
    settings.faults.denied = ["GetProduct"]
    sandbox.save_settings(settings)
    done = run_cli("--sandbox", "products", "show", "prod-examplexdatadog1", home=home)
    assert done.returncode == 1
    assert "aws-marketplace:GetProduct" in done.stderr


@pytest.fixture
def discovery_url() -> Iterator[str]:
    marketplace = Marketplace()
    marketplace.seed(json.loads(SEED.read_text(encoding="utf-8")))
    with serve(marketplace, settings=SandboxSettings(faults=FaultSettings(throttle=True))) as url:
        yield url


def test_the_endpoint_comes_from_the_standard_variable(
    discovery_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_MARKETPLACE_DISCOVERY", discovery_url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    assert os.environ["AWS_ENDPOINT_URL_MARKETPLACE_DISCOVERY"] == discovery_url
    done = run_cli("products", "search", "datadog")
    assert done.returncode == 0, done.stderr
    assert "prod-examplexdatadog1  Datadog Pro" in done.stdout
    shown = run_cli("products", "show", "prod-examplexdatadog1", "--dir", str(TREE))
    assert "datadog (prod-examplexdatadog1)\n  name:         Datadog Pro\n" in shown.stdout


def _tree(root: Path, pmp: str = "") -> Path:
    tree = root / "desired_state"
    (tree / "experiences").mkdir(parents=True)
    (tree / "products.yaml").write_text("products:\n  datadog: prod-examplexdatadog1\n")
    (tree / "experiences" / "team.yaml").write_text(
        "name: Team\nproducts:\n  allow:\n    - datadog\n    - prod-nosuchthing\n"
    )
    if pmp:
        (tree / "pmp.yaml").write_text(pmp)
    return tree


def test_plan_against_an_emulator_of_both_apis(
    discovery_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_MARKETPLACE_DISCOVERY", discovery_url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    tree = _tree(tmp_path)
    done = run_cli("--endpoint-url", discovery_url, "plan", str(tree))
    assert done.returncode == 0, done.stderr
    assert "+ prod-examplexdatadog1 (datadog)  Datadog Pro (Datadog)\n" in done.stdout
    assert f"W401: {tree}/experiences/team.yaml:5:7: product prod-nosuchthing" in done.stdout
    strict = _tree(tmp_path / "strict", pmp="product_checks: error\n")
    failed = run_cli("--endpoint-url", discovery_url, "apply", str(strict), "--auto-approve")
    assert failed.returncode == 1
    assert "W401" in failed.stderr
    assert "PMP302" in failed.stderr
    listed = run_cli("--endpoint-url", discovery_url, "plan", str(strict))
    assert listed.returncode == 1
    assert "create experience" not in listed.stdout
