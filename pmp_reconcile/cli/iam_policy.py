"""``pmp-reconcile iam-policy``: least-privilege policy JSON for the roles that run the tool."""

from __future__ import annotations

import json
from typing import Any

import click

from pmp_reconcile.cli.app import cli
from pmp_reconcile.errors import ExitCode, UsageError
from pmp_reconcile.org.policies import (
    DEFAULT_ENVIRONMENT,
    SUBJECT_CLAIM_KEYS,
    Role,
    check_account,
    permissions_policy,
    subject_customization_command,
    trust_policy,
)


@cli.command("iam-policy")
@click.option("--role", "role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--github-repo", metavar="OWNER/REPO", help="Also print the GitHub OIDC trust.")
@click.option("--account-id", metavar="ACCOUNT_ID", help="Scope ARNs to this account.")
@click.option(
    "--environment",
    help=f"GitHub environment that may assume the apply role [default: {DEFAULT_ENVIRONMENT}].",
)
@click.option(
    "--allow-any-branch",
    is_flag=True,
    help="Apply role: trust GitHub's default subject, which names no branch (not advised).",
)
def iam_policy_command(
    role: str,
    github_repo: str | None,
    account_id: str | None,
    environment: str | None,
    allow_any_branch: bool,
) -> int:
    """Print the permissions policy for the plan, apply or bootstrap role.

    With --github-repo, print {"permissions_policy", "trust_policy"}: pull requests and the
    drift check on main may assume the plan role; only the apply workflow on main, in the
    protected environment, the apply role. That needs the repository's OIDC subject to name
    the workflow and its branch: the output's "github_oidc_subject" holds the one command that
    sets it (and stderr repeats it).
    """
    check_account(account_id)
    chosen = Role(role)
    _check_apply_options(chosen, github_repo, environment, allow_any_branch)
    document: dict[str, Any] = permissions_policy(chosen, account_id)
    if github_repo is not None:
        trust = trust_policy(
            chosen,
            github_repo,
            account_id,
            environment or DEFAULT_ENVIRONMENT,
            allow_any_branch=allow_any_branch,
        )
        document = {"permissions_policy": document, "trust_policy": trust}
        if not allow_any_branch:
            document["github_oidc_subject"] = _customization(github_repo)
    click.echo(json.dumps(document, indent=2))
    _note(chosen, github_repo, allow_any_branch)
    return ExitCode.OK


def _check_apply_options(
    role: Role, github_repo: str | None, environment: str | None, allow_any_branch: bool
) -> None:
    """--environment and --allow-any-branch shape the apply role's trust and nothing else."""
    for given, option in ((environment, "--environment"), (allow_any_branch, "--allow-any-branch")):
        if not given:
            continue
        if role is not Role.APPLY:
            raise UsageError(
                f"{option} is about the apply role's trust; --role {role.value} has no use for it",
                hint=f"leave out {option}, or use --role apply",
            )
        if github_repo is None:
            raise UsageError(
                f"{option} shapes the GitHub trust, which only --github-repo prints",
                hint="add --github-repo OWNER/REPO",
            )


def _customization(repository: str) -> dict[str, Any]:
    return {
        "include_claim_keys": list(SUBJECT_CLAIM_KEYS),
        "command": subject_customization_command(repository),
    }


def _note(role: Role, github_repo: str | None, allow_any_branch: bool) -> None:
    if github_repo is None or role is Role.BOOTSTRAP:
        return
    if allow_any_branch:
        click.echo(
            "note: --allow-any-branch: GitHub's default subject for a job with an environment "
            "names no branch, so a job on any branch that names the environment may apply; "
            "only the environment's branch rule keeps apply on main",
            err=True,
        )
        return
    click.echo(
        "note: this trust matches the repository's customized OIDC subject "
        f"({', '.join(SUBJECT_CLAIM_KEYS)}); set it once with:\n"
        f"  {subject_customization_command(github_repo)}",
        err=True,
    )
