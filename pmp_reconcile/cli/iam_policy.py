"""``pmp-reconcile iam-policy``: least-privilege policy JSON for the roles that run the tool."""

from __future__ import annotations

import json
from typing import Any

import click

from pmp_reconcile.cli.app import cli
from pmp_reconcile.errors import ExitCode
from pmp_reconcile.org.policies import (
    DEFAULT_ENVIRONMENT,
    Role,
    check_account,
    permissions_policy,
    trust_policy,
)


@cli.command("iam-policy")
@click.option("--role", "role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--github-repo", metavar="OWNER/REPO", help="Also print the GitHub OIDC trust.")
@click.option("--account-id", metavar="ACCOUNT_ID", help="Scope ARNs to this account.")
@click.option(
    "--environment",
    default=DEFAULT_ENVIRONMENT,
    show_default=True,
    help="GitHub environment that may assume the apply role.",
)
def iam_policy_command(
    role: str, github_repo: str | None, account_id: str | None, environment: str
) -> int:
    """Print the permissions policy for the plan, apply or bootstrap role.

    With --github-repo, print {"permissions_policy", "trust_policy"}: pull requests of that
    repository may assume the plan role, its protected environment the apply role.
    """
    check_account(account_id)
    chosen = Role(role)
    document: dict[str, Any] = permissions_policy(chosen, account_id)
    if github_repo is not None:
        trust = trust_policy(chosen, github_repo, account_id, environment)
        document = {"permissions_policy": document, "trust_policy": trust}
    click.echo(json.dumps(document, indent=2))
    return ExitCode.OK
