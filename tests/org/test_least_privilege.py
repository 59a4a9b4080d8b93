"""Each role's policy grants exactly the AWS operations its commands really make.

The operations are not a list kept by hand: every client the CLI creates is watched
through botocore's ``before-call`` event while the commands run as users run them, in process,
against the HTTP sandbox (Catalog API) and moto (Organizations, IAM). An operation the code
calls but the role lacks would fail in AWS; an action granted but never called is privilege
nobody needs. Both fail here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from moto_org import Org

from pmp_reconcile.cli import main
from pmp_reconcile.org.policies import AUTHORISED_BY, Role, permissions_policy
from pmp_reconcile.sandbox import (
    Marketplace,
    Progression,
    SandboxSettings,
    StateOptions,
    SystemClock,
    serve,
)

PRODUCT = "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69"
Calls = set[str]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch, org: Org) -> Calls:
    """IAM action names of every call a client made from here on makes (botocore builds every
    client, boto3's too; the fixture's own organization is built before)."""
    seen: Calls = set()
    make = botocore.session.Session.create_client

    def client(self: botocore.session.Session, *args: Any, **kwargs: Any) -> Any:
        made = make(self, *args, **kwargs)
        prefix = made.meta.service_model.signing_name
        made.meta.events.register("before-call", _recorder(seen, prefix))
        return made

    monkeypatch.setattr(botocore.session.Session, "create_client", client)
    return seen


def _recorder(seen: Calls, prefix: str) -> Callable[..., None]:
    def record(model: Any, **_: Any) -> None:
        seen.add(f"{prefix}:{AUTHORISED_BY.get(model.name, model.name)}")

    return record


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    settings = SandboxSettings(state=StateOptions(progression=Progression(mode="immediate")))
    with serve(Marketplace(settings.state, SystemClock()), settings=settings) as url:
        yield url


@pytest.fixture
def tree(tmp_path: Path, org: Org) -> Path:
    directory = tmp_path / "desired_state"
    (directory / "experiences").mkdir(parents=True)
    (directory / "pmp.yaml").write_text(
        f"organization_id: {org.organization_id}\n", encoding="utf-8"
    )
    member = org.accounts["one"]
    (directory / "experiences" / "finance.yaml").write_text(
        f"name: Finance\nstatus: enabled\nprincipals: ['{member}']\n"
        f"products:\n  allow: [{PRODUCT}]\n",
        encoding="utf-8",
    )
    return directory


def run(*args: str) -> int:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    return int(done.value.code or 0)


def granted(role: Role) -> Calls:
    return {a for s in permissions_policy(role)["Statement"] for a in s["Action"]}


def test_plan_role_grants_what_plan_import_and_explain_call(
    calls: Calls, sandbox_url: str, tree: Path, org: Org, tmp_path: Path
) -> None:
    assert run("--endpoint-url", sandbox_url, "apply", str(tree), "--auto-approve") == 0
    calls.clear()  # the marketplace now holds every entity type plan describes
    plan = ("plan", str(tree), "--org-impact", "--refresh-products")  # names: GetProduct
    assert run("--endpoint-url", sandbox_url, *plan) == 0
    assert run("--endpoint-url", sandbox_url, "import", "--out", str(tmp_path / "imported")) == 0
    assert run("--endpoint-url", sandbox_url, "products", "search", "splunk") == 0
    assert run("explain", org.accounts["deep"], str(tree)) == 0
    assert calls == granted(Role.PLAN)


def test_apply_role_adds_exactly_what_apply_calls(
    calls: Calls, sandbox_url: str, tree: Path
) -> None:
    assert run("--endpoint-url", sandbox_url, "apply", str(tree), "--auto-approve") == 0
    assert run("--endpoint-url", sandbox_url, "plan", str(tree), "--detailed-exitcode") == 0
    assert calls - granted(Role.PLAN) == granted(Role.APPLY) - granted(Role.PLAN)
    assert calls <= granted(Role.APPLY)
    assert "aws-marketplace:DescribeChangeSet" not in granted(Role.PLAN)


def test_bootstrap_role_grants_what_bootstrap_calls(calls: Calls, org: Org) -> None:
    assert run("bootstrap", "--delegated-admin", org.accounts["one"]) == 0
    assert calls == granted(Role.BOOTSTRAP)
