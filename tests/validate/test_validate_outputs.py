"""``validate`` as users see it (goldens for each output), the schema file, the example tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType

import pytest

from pmp_reconcile.desired.loader import load_desired_state
from pmp_reconcile.desired.schema import experience_json_schema
from pmp_reconcile.errors import Location
from pmp_reconcile.model import (
    Branding,
    Caller,
    Experience,
    Guardrails,
    RequestPolicy,
    Settings,
    Status,
    UnmanagedPolicy,
)

ROOT = Path(__file__).resolve().parents[2]
BROKEN = {
    "experiences/finance.yaml": (
        "name: Finance\nstatus: on\nprincipals:\n  - 123456789012\nbrandng:\n  title: x\n"
    ),
    "experiences/ops.yaml": (
        "name: Ops\nproducts:\n  allow:\n    - splunkk\n    - prod-abc\n    - prod-abc\n"
    ),
    "products.yaml": "products:\n  splunk: 3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69\n",
    "stray.yaml": "x: 1\n",
}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pmp_reconcile", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    for name, text in BROKEN.items():
        path = tmp_path / "desired_state" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_outputs_match_their_goldens(
    broken: Path, output: str, golden: pytest.FixtureRequest
) -> None:
    done = run("validate", "--output", output, cwd=broken)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    golden(f"validate/broken.{output}", done.stdout)  # type: ignore[operator]


def test_json_output_is_machine_readable(broken: Path) -> None:
    document = json.loads(run("validate", "--output", "json", cwd=broken).stdout)
    assert document["valid"] is False
    assert (document["errors"], document["warnings"]) == (5, 1)


def test_the_example_tree_is_valid(tmp_path: Path) -> None:
    done = run("validate", cwd=ROOT)
    assert (done.returncode, done.stdout) == (0, "desired_state: valid\n")


def test_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    done = run("validate", "nowhere", cwd=tmp_path)
    assert done.returncode == 1
    assert "nowhere is not a directory" in done.stderr
    assert "Traceback" not in done.stderr


def test_plan_refuses_an_invalid_tree_with_every_finding(broken: Path) -> None:
    done = run("--sandbox", "plan", cwd=broken)
    assert done.returncode == 1
    assert "desired_state/experiences/finance.yaml:2:9: D013" in done.stderr
    assert "desired_state/experiences/ops.yaml:4:7: D023" in done.stderr
    assert not (broken / ".pmp-sandbox" / "state.json").exists()


def test_the_shipped_schema_is_current() -> None:
    shipped = json.loads((ROOT / "schema" / "desired-state.schema.json").read_text())
    assert shipped == experience_json_schema(), "regenerate: pmp-reconcile schema > schema/…"


def test_schema_command_prints_the_schema() -> None:
    done = run("schema", cwd=ROOT)
    assert json.loads(done.stdout)["title"] == "pmp-reconcile experience"


def test_example_files_carry_the_schema_modeline() -> None:
    for path in sorted((ROOT / "desired_state" / "experiences").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/desired-state.schema.json"


def at(file: str, line: int, column: int) -> Location:
    return Location(f"desired_state/{file}", line, column)


def test_the_example_tree_loads_into_the_expected_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    state = load_desired_state(Path("desired_state"))
    splunk = "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69"
    datadog = "prod-examplexdatadog1"
    default, finance, marketing = state.experiences
    assert default == Experience(
        key="default",
        name="Default Experience",
        description="Products approved for every account in the organization",
        status=Status.ENABLED,
        software_requests=RequestPolicy.DENY,
        principals=frozenset({"o-exampleorg01"}),
        allowed=frozenset({splunk, datadog}),
        denied=frozenset({"9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}),
        notes=MappingProxyType({datadog: "SR-1042 security review"}),
        branding=Branding(
            title="Example Corp Marketplace",
            information="Ask the cloud platform team before requesting new software",
            theme_color="#0A66C2",
        ),
        source=at("experiences/default.yaml", 3, 1),
        principal_sources=MappingProxyType(
            {"o-exampleorg01": at("experiences/default.yaml", 8, 5)}
        ),
        product_sources=MappingProxyType(
            {
                splunk: at("experiences/default.yaml", 11, 7),
                datadog: at("experiences/default.yaml", 12, 7),
                "9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d": at("experiences/default.yaml", 15, 7),
            }
        ),
    )
    assert (finance.key, finance.name, finance.id, finance.status) == (
        "finance",
        "Finance Unit Experience",
        None,
        Status.ENABLED,
    )
    assert finance.allowed == frozenset({splunk, "prodview-exampletableau1"})
    assert finance.branding is None
    assert (marketing.id, marketing.status, marketing.software_requests) == (
        "exp-marketing4demo",
        Status.DISABLED,
        RequestPolicy.ALLOW,
    )
    assert marketing.principals == frozenset({"ou-ab12-marketng"})
    assert state.settings == Settings(
        organization_id="o-exampleorg01",
        caller=Caller.MANAGEMENT,
        unmanaged_experiences=UnmanagedPolicy.WARN,
        guardrails=Guardrails(protected=("default",)),
        source=at("pmp.yaml", 2, 1),
    )
    assert state.aliases["datadog"] == datadog
    assert len(state.aliases) == 5
