"""The shipped example tree loads into exactly the state it describes (a round trip)."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest

from pmp_reconcile.desired.loader import load_desired_state, load_with_findings
from pmp_reconcile.errors import Location
from pmp_reconcile.model import (
    Branding,
    Caller,
    Experience,
    Guardrails,
    MarketplaceState,
    RequestPolicy,
    Settings,
    Status,
    UnmanagedPolicy,
)

ROOT = Path(__file__).resolve().parents[2]
SPLUNK = "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69"
DATADOG = "prod-examplexdatadog1"
CROWDSTRIKE = "7a2b9c4d-1e3f-4a5b-8c6d-9e0f1a2b3c4d"
TABLEAU = "prodview-exampletableau1"
QUICKBOOKS = "9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def at(file: str, line: int, column: int) -> Location:
    return Location(f"desired_state/{file}", line, column)


def sources(file: str, **lines: tuple[int, int]) -> MappingProxyType[str, Location]:
    return MappingProxyType({k: at(file, *v) for k, v in lines.items()})


DEFAULT = Experience(
    key="default",
    name="Default Experience",
    description="Products approved for every account in the organization",
    status=Status.ENABLED,
    software_requests=RequestPolicy.DENY,
    principals=frozenset({"o-exampleorg01"}),
    allowed=frozenset({SPLUNK, DATADOG}),
    denied=frozenset({QUICKBOOKS}),
    notes=MappingProxyType({DATADOG: "SR-1042 security review"}),
    branding=Branding(
        title="Example Corp Marketplace",
        information="Ask the cloud platform team before requesting new software",
        theme_color="#0A66C2",
    ),
    source=at("experiences/default.yaml", 3, 1),
    principal_sources=MappingProxyType({"o-exampleorg01": at("experiences/default.yaml", 8, 5)}),
    product_sources=MappingProxyType(
        {
            SPLUNK: at("experiences/default.yaml", 11, 7),
            DATADOG: at("experiences/default.yaml", 12, 7),
            QUICKBOOKS: at("experiences/default.yaml", 15, 7),
        }
    ),
)

FINANCE = Experience(
    key="finance",
    name="Finance Unit Experience",
    description="Approved software for the finance department",
    status=Status.ENABLED,
    software_requests=RequestPolicy.DENY,
    principals=frozenset({"ou-ab12-finance1"}),
    allowed=frozenset({SPLUNK, TABLEAU}),
    source=at("experiences/finance.yaml", 3, 1),
    principal_sources=MappingProxyType({"ou-ab12-finance1": at("experiences/finance.yaml", 8, 5)}),
    product_sources=MappingProxyType(
        {
            SPLUNK: at("experiences/finance.yaml", 11, 7),
            TABLEAU: at("experiences/finance.yaml", 12, 7),
        }
    ),
)

MARKETING = Experience(
    key="marketing",
    name="Marketing Unit Experience",
    id="exp-marketing4demo",
    status=Status.DISABLED,
    software_requests=RequestPolicy.ALLOW,
    principals=frozenset({"ou-ab12-marketng"}),
    allowed=frozenset({CROWDSTRIKE}),
    source=at("experiences/marketing.yaml", 4, 1),
    principal_sources=MappingProxyType(
        {"ou-ab12-marketng": at("experiences/marketing.yaml", 8, 5)}
    ),
    product_sources=MappingProxyType({CROWDSTRIKE: at("experiences/marketing.yaml", 11, 7)}),
)

EXPECTED = MarketplaceState(
    experiences=(DEFAULT, FINANCE, MARKETING),
    settings=Settings(
        version=1,
        organization_id="o-exampleorg01",
        caller=Caller.MANAGEMENT,
        unmanaged_experiences=UnmanagedPolicy.WARN,
        guardrails=Guardrails(
            max_product_removals=25, max_principal_removals=10, protected=("default",)
        ),
        source=at("pmp.yaml", 2, 1),
    ),
    aliases=MappingProxyType(
        {
            "splunk-enterprise": SPLUNK,
            "datadog": DATADOG,
            "crowdstrike-falcon": CROWDSTRIKE,
            "tableau": TABLEAU,
            "quickbooks-connector": QUICKBOOKS,
        }
    ),
)


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("in_root")
def test_the_example_tree_loads_into_the_expected_state() -> None:
    assert load_desired_state(Path("desired_state")) == EXPECTED


@pytest.mark.usefixtures("in_root")
def test_the_example_tree_has_no_findings_at_all() -> None:
    state, findings = load_with_findings(Path("desired_state"))
    assert (state, findings) == (EXPECTED, [])


@pytest.mark.usefixtures("in_root")
def test_loading_twice_gives_the_same_value() -> None:
    assert load_desired_state(Path("desired_state")) == load_desired_state(Path("desired_state"))


def test_every_experience_file_carries_the_schema_modeline() -> None:
    for path in sorted((ROOT / "desired_state" / "experiences").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/desired-state.schema.json"
