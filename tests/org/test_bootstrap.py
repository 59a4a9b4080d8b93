"""bootstrap on moto: every step done, then all "already"; --dry-run only reads."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto_org import Org

from pmp_reconcile.catalog.client import ConnectionOptions
from pmp_reconcile.cli import main
from pmp_reconcile.errors import UsageError
from pmp_reconcile.org.bootstrap import PMP_SERVICE_PRINCIPAL, Bootstrapper
from pmp_reconcile.org.steps import Outcome
from pmp_reconcile.views.bootstrap import render_steps
from pmp_reconcile.workflows.bootstrap import bootstrap


def outcomes(reports: Any) -> list[tuple[str, str]]:
    return [(r.step, r.outcome.value) for r in reports]


def test_run_twice_second_run_is_all_already(org: Org) -> None:
    admin = org.accounts["one"]
    first = bootstrap(ConnectionOptions(), admin, dry_run=False)
    assert outcomes(first) == [
        ("service-linked role", "done"),
        ("trusted access", "done"),
        ("delegated administrator", "done"),
    ]
    second = bootstrap(ConnectionOptions(), admin, dry_run=False)
    assert {r.outcome for r in second} == {Outcome.ALREADY}
    enabled = org.client.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert [s["ServicePrincipal"] for s in enabled] == [PMP_SERVICE_PRINCIPAL]
    admins = org.client.list_delegated_administrators(ServicePrincipal=PMP_SERVICE_PRINCIPAL)
    assert [a["Id"] for a in admins["DelegatedAdministrators"]] == [admin]


def test_dry_run_reports_and_changes_nothing(org: Org) -> None:
    reports = bootstrap(ConnectionOptions(), org.accounts["one"], dry_run=True)
    assert {r.outcome for r in reports} == {Outcome.WOULD_DO}
    text = render_steps(reports)
    assert "would do" in text
    assert "register " + org.accounts["one"] in text
    iam = boto3.client("iam", region_name="us-east-1")
    assert not iam.list_roles(PathPrefix="/aws-service-role/")["Roles"]
    assert not org.client.list_aws_service_access_for_organization()["EnabledServicePrincipals"]


def test_without_delegated_admin_two_steps(org: Org) -> None:
    assert [r.step for r in bootstrap(ConnectionOptions(), None, dry_run=False)] == [
        "service-linked role",
        "trusted access",
    ]


def test_role_made_elsewhere_counts_as_already(org: Org) -> None:
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_service_linked_role(AWSServiceName=PMP_SERVICE_PRINCIPAL)
    reports = Bootstrapper(iam, org.client).run(None)
    assert outcomes(reports)[0] == ("service-linked role", "already")


def test_management_account_and_bad_ids_are_refused(org: Org) -> None:
    with pytest.raises(UsageError, match="management account"):
        bootstrap(ConnectionOptions(), org.management, dry_run=True)
    with pytest.raises(UsageError, match="not an account id"):
        bootstrap(ConnectionOptions(), "ou-ab12-11111111", dry_run=True)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The real entry point, in process (moto lives in this process)."""
    with pytest.raises(SystemExit) as done:
        main(list(args))
    captured = capsys.readouterr()
    return int(done.value.code or 0), captured.out, captured.err


def test_cli_reports_each_step(org: Org, capsys: pytest.CaptureFixture[str]) -> None:
    admin = org.accounts["deep"]
    code, dry, _ = cli(capsys, "bootstrap", "--delegated-admin", admin, "--dry-run")
    assert code == 0
    assert dry.count("would do") == 3
    code, first, _ = cli(capsys, "bootstrap", "--delegated-admin", admin)
    assert first == (
        f"service-linked role      done      created for {PMP_SERVICE_PRINCIPAL}\n"
        f"trusted access           done      enabled for {PMP_SERVICE_PRINCIPAL}\n"
        f"delegated administrator  done      registered {admin}\n"
    )
    code, second, _ = cli(capsys, "bootstrap", "--delegated-admin", admin)
    assert second.count("already") == 3
    code, _, err = cli(capsys, "bootstrap", "--delegated-admin", "nope")
    assert code == 1
    assert "'nope' is not an account id" in err
    assert "Traceback" not in err
