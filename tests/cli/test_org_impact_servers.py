"""plan --org-impact against two independent servers: moto's Organizations, the Catalog sandbox.

Both listen on 127.0.0.1; the CLI reaches them only through the standard AWS configuration
(``--endpoint-url`` and ``AWS_ENDPOINT_URL_ORGANIZATIONS``), as it would reach AWS.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from pmp_reconcile.sandbox import Marketplace, SandboxServer, persistent_defaults

from clirun import run_cli

P1, P2, P3 = "prod-one1one1one1o", "prod-two2two2two2t", "prod-three3three3t"


@dataclass
class Organization:
    url: str
    id: str
    ous: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, list[str]] = field(default_factory=dict)


@pytest.fixture
def organizations(monkeypatch: pytest.MonkeyPatch) -> Iterator[Organization]:
    """moto's server holding root → Finance, Marketing, Engineering, each with accounts."""
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    client = boto3.client("organizations", region_name="us-east-1", endpoint_url=url)
    built = Organization(url, client.create_organization(FeatureSet="ALL")["Organization"]["Id"])
    root = client.list_roots()["Roots"][0]["Id"]
    for name, size in (("Finance", 2), ("Marketing", 1), ("Engineering", 3)):
        ou = client.create_organizational_unit(ParentId=root, Name=name)
        built.ous[name] = ou["OrganizationalUnit"]["Id"]
        for index in range(size):
            created = client.create_account(Email=f"{name}{index}@example.org", AccountName=name)
            account = created["CreateAccountStatus"]["AccountId"]
            client.move_account(
                AccountId=account, SourceParentId=root, DestinationParentId=built.ous[name]
            )
            built.accounts.setdefault(name, []).append(account)
    try:
        yield built
    finally:
        server.stop()


@pytest.fixture
def catalog(organizations: Organization) -> Iterator[str]:
    """The Catalog sandbox: Finance (P1) and Marketing (P2), both enabled."""
    marketplace = Marketplace(persistent_defaults().state)

    def experience(name: str, product: str) -> dict[str, object]:
        return {
            "name": name,
            "status": "Enabled",
            "procurement_policy": {"requests": "Deny", "allow": [product]},
            "audiences": [{"principals": [organizations.ous[name]]}],
        }

    marketplace.seed({"experiences": [experience("Finance", P1), experience("Marketing", P2)]})
    server = SandboxServer(marketplace, "127.0.0.1", 0, persistent_defaults())
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


def tree(where: Path, organizations: Organization) -> Path:
    """Finance gains P2, Engineering is new (P3), Marketing is archived (falls back to none)."""
    (where / "experiences").mkdir(parents=True)
    (where / "pmp.yaml").write_text(
        f"organization_id: {organizations.id}\nunmanaged_experiences: archive\n"
        "guardrails: {protected: []}\n",
        encoding="utf-8",
    )
    for key, ou, products in (
        ("finance", organizations.ous["Finance"], [P1, P2]),
        ("engineering", organizations.ous["Engineering"], [P3]),
    ):
        (where / "experiences" / f"{key}.yaml").write_text(
            f"name: {key.title()}\nstatus: enabled\nsoftware_requests: deny\n"
            f"principals: [{ou}]\nproducts:\n  allow: [{', '.join(products)}]\n",
            encoding="utf-8",
        )
    return where


def test_markdown_names_every_affected_account_and_draws_the_affected_ous(
    organizations: Organization, catalog: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tree(tmp_path / "desired_state", organizations)
    monkeypatch.setenv("AWS_ENDPOINT_URL_ORGANIZATIONS", organizations.url)
    arguments = ("plan", str(directory), "--org-impact", "--output", "markdown")
    done = run_cli("--endpoint-url", catalog, *arguments)
    assert done.returncode == 0, done.stderr
    markdown = done.stdout
    for accounts in organizations.accounts.values():
        for account in accounts:
            assert f"`{account}`" in markdown, account
    chart = re.search(r"```mermaid\n(.*?)```", markdown, flags=re.DOTALL)
    assert chart is not None, markdown
    for name, ou in organizations.ous.items():
        assert f"{name} ({ou})" in chart.group(1)
    assert "> **High impact:** 1 account and 1 OU fall back to no experience" in markdown
    assert "| newly governed | none → `engineering` | 3 | 1 |" in markdown
