"""Names and product checks in plans, apply and import: the real boto3 clients of both APIs
against one in-process sandbox on fake time, through the workflows the CLI calls."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pmp_reconcile.catalog.client import ConnectionOptions, make_client
from pmp_reconcile.catalog.retry import RetryPolicy
from pmp_reconcile.desired.loader import load_desired_state
from pmp_reconcile.errors import ProductCheckError
from pmp_reconcile.plan.make import make_plan
from pmp_reconcile.products.api import DISCOVERY_SERVICE, DiscoveryApi
from pmp_reconcile.products.pace import Pacer
from pmp_reconcile.sandbox import FaultSettings, SandboxSettings, attach
from pmp_reconcile.views.formats import OutputFormat
from pmp_reconcile.views.plan import render
from pmp_reconcile.workflows import ApplyRequest, Target, apply_changes, plan_directory
from pmp_reconcile.workflows.importing import ImportRequest, import_marketplace
from pmp_reconcile.workflows.products import Discovery

from rig import Rig

PRODUCTS: list[dict[str, Any]] = [
    {"id": "prod-dd1", "name": "Datadog Pro", "publisher": "Datadog"},
    {"id": "prod-spl1", "name": "Splunk Enterprise", "publisher": "Splunk Inc."},
    {
        "id": "prod-old1",
        "name": "Old Reporting",
        "publisher": "Example Analytics",
        "availability": "not_available_for_subscription",
    },
]
FINANCE = """\
name: Finance
status: enabled
principals:
  - ou-ab12-cdefgh12
products:
  allow:
    - datadog
    - prod-spl1
  deny:
    - prod-old1
"""


@dataclass
class World:
    """One sandbox, a Catalog client and a Discovery source on it, and the calls made."""

    tmp: Path
    rig: Rig = field(default_factory=Rig)
    discovery_settings: SandboxSettings = field(default_factory=SandboxSettings)
    apis: list[DiscoveryApi] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rig.marketplace.seed({"products": PRODUCTS})

    def connect(self) -> DiscoveryApi:
        def transport(client: Any) -> None:
            attach(client, self.rig.marketplace, self.discovery_settings, clock=self.rig.clock)

        client = make_client(
            DISCOVERY_SERVICE, ConnectionOptions(credentials=("t", "t")), transport
        )
        pacer = Pacer(clock=self.rig.monotonic, sleep=self.rig.sleep)
        api = DiscoveryApi(client, pacer, RetryPolicy(sleep=self.rig.sleep, rng=random.Random(0)))
        self.apis.append(api)
        return api

    def target(self, refresh: bool = False) -> Target:
        discovery = Discovery(self.connect, "sandbox", self.tmp / "cache", refresh)
        return Target(api_for=lambda caller: self.rig.api, products=discovery)

    @property
    def calls(self) -> int:
        return sum(api.calls.total for api in self.apis)

    def tree(self, finance: str = FINANCE, pmp: str = "") -> Path:
        root = self.tmp / "desired_state"
        (root / "experiences").mkdir(parents=True, exist_ok=True)
        (root / "products.yaml").write_text("products:\n  datadog: prod-dd1\n")
        (root / "experiences" / "finance.yaml").write_text(finance)
        if pmp:
            (root / "pmp.yaml").write_text(pmp)
        return root


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def _codes(plan: Any) -> list[tuple[str, str | None]]:
    return [(w.code, w.location) for w in plan.warnings]


def test_a_plan_names_the_products_it_changes(world: World, golden: Any) -> None:
    plan = plan_directory(world.tree(), world.target())
    document = plan.to_document()
    assert document["products"]["prod-dd1"] == {
        "name": "Datadog Pro",
        "publisher": "Datadog",
        "available": True,
    }
    text = render(document, OutputFormat.TEXT).replace(str(world.tmp), "TMP")
    assert "+ prod-dd1 (datadog)  Datadog Pro (Datadog)\n" in text
    golden("products/plan-names.text", text)
    markdown = render(document, OutputFormat.MARKDOWN).replace(str(world.tmp), "TMP")
    golden("products/plan-names.md", markdown)


def test_each_distinct_id_is_looked_up_once_and_a_second_plan_asks_nothing(
    world: World,
) -> None:
    twice = FINANCE.replace("    - prod-spl1\n", "    - prod-spl1\n    - prod-dd1\n")
    tree = world.tree(twice.replace("  deny:\n    - prod-old1\n", ""))
    plan_directory(tree, world.target())
    assert world.calls == 2  # prod-dd1 (by alias and by id) and prod-spl1
    world.apis.clear()
    again = plan_directory(tree, world.target())
    assert world.calls == 0
    assert again.products["prod-dd1"].name == "Datadog Pro"
    plan_directory(tree, world.target(refresh=True))
    assert world.calls == 2


def test_an_unknown_id_is_w401_where_it_is_written(world: World) -> None:
    tree = world.tree(FINANCE.replace("    - prod-spl1\n", "    - prod-nosuch1\n"))
    plan = plan_directory(tree, world.target())
    (w401,) = [w for w in plan.warnings if w.code == "W401"]
    assert w401.location == f"{tree}/experiences/finance.yaml:8:7"
    assert "private offer" in w401.message
    assert w401.experience == "finance"


def test_an_allowed_product_closed_to_subscriptions_is_w402(world: World) -> None:
    tree = world.tree(
        FINANCE.replace("    - prod-spl1\n", "    - prod-old1\n").replace(
            "  deny:\n    - prod-old1\n", ""
        )
    )
    plan = plan_directory(tree, world.target())
    assert _codes(plan) == [("W402", f"{tree}/experiences/finance.yaml:8:7")]
    assert plan.products["prod-old1"].available is False
    text = render(plan.to_document(), OutputFormat.TEXT)
    assert "Old Reporting (Example Analytics; closed to new subscriptions)" in text


def test_a_denied_product_closed_to_subscriptions_is_fine(world: World) -> None:
    plan = plan_directory(world.tree(), world.target())
    assert _codes(plan) == []


def test_product_checks_error_fails_the_plan_and_apply_sends_nothing(world: World) -> None:
    finance = FINANCE.replace("    - prod-spl1\n", "    - prod-nosuch1\n")
    tree = world.tree(finance, pmp="product_checks: error\n")
    with pytest.raises(ProductCheckError) as raised:
        plan_directory(tree, world.target())
    assert "finance.yaml:8:7: W401" in str(raised.value)
    with pytest.raises(ProductCheckError):
        apply_changes(ApplyRequest(directory=tree), world.target(), world.rig.executor)
    assert world.rig.marketplace.change_sets == {}


def test_product_checks_off_asks_nothing(world: World) -> None:
    tree = world.tree(pmp="product_checks: off\n")
    plan = plan_directory(tree, world.target())
    assert world.calls == 0
    assert "products" not in plan.to_document()


def test_without_permission_the_plan_says_so_once_and_goes_on(world: World) -> None:
    world.discovery_settings = SandboxSettings(faults=FaultSettings(denied=["GetProduct"]))
    tree = world.tree(FINANCE.replace("    - prod-spl1\n", "    - prod-nosuch1\n"))
    plan = plan_directory(tree, world.target())
    assert [w.code for w in plan.warnings] == ["W400"]
    assert plan.has_changes
    assert world.calls == 1


def test_discovery_throttling_is_retried_under_the_plan(world: World) -> None:
    world.discovery_settings = SandboxSettings(
        faults=FaultSettings(throttle=True, rates={"GetProduct": 1.0})
    )
    plan = plan_directory(world.tree(), world.target())
    assert set(plan.products) == {"prod-dd1", "prod-spl1", "prod-old1"}
    assert world.calls > 3


def test_import_writes_names_as_comments_and_round_trips(world: World) -> None:
    apply_changes(ApplyRequest(directory=world.tree()), world.target(), world.rig.executor)
    out = world.tmp / "imported"
    import_marketplace(ImportRequest(out=out), world.target())
    text = (out / "experiences" / "finance.yaml").read_text()
    assert "    - prod-dd1  # Datadog Pro\n" in text
    assert "    - prod-old1  # Old Reporting\n" in text
    desired = load_desired_state(out)
    assert not make_plan(desired, world.rig.live()).has_changes


def test_a_product_a_set_brought_is_checked_at_the_set_entry(world: World) -> None:
    tree = world.tree("name: Finance\nproducts:\n  allow:\n    - set: base\n")
    (tree / "products.yaml").write_text("sets:\n  base:\n    - prod-nosuch1\n    - prod-dd1\n")
    plan = plan_directory(tree, world.target())
    (w401,) = [w for w in plan.warnings if w.code == "W401"]
    assert w401.location == f"{tree}/experiences/finance.yaml:4:7"
    assert w401.message.startswith("product prod-nosuch1 (via base) is not known")
    text = render(plan.to_document(), OutputFormat.TEXT)
    assert "+ prod-dd1 (via base)  Datadog Pro (Datadog)\n" in text
