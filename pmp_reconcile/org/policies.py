"""Least-privilege IAM policies for the roles that run pmp-reconcile, and their GitHub trust.

Facts (Service Authorization Reference, "AWS Marketplace Catalog"): BatchDescribeEntities is
authorised by ``aws-marketplace:DescribeEntity`` (there is no separate action) and ListEntities
by ``ListEntities`` plus ``DescribeEntity``; ``StartChangeSet`` supports resource ARNs of
entities and change sets and the ``catalog:ChangeType`` condition key; change-set tags need
``TagResource``. ARNs: ``arn:aws:aws-marketplace:REGION:ACCOUNT:AWSMarketplace/TYPE/ID``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pmp_reconcile.catalog.client import CATALOG_REGION
from pmp_reconcile.catalog.vocabulary import ChangeType
from pmp_reconcile.errors import UsageError
from pmp_reconcile.model import ACCOUNT_ID_RE
from pmp_reconcile.org.bootstrap import PMP_SERVICE_PRINCIPAL, SERVICE_ROLE_NAME

VERSION = "2012-10-17"
GITHUB_OIDC = "token.actions.githubusercontent.com"
ACCOUNT_PLACEHOLDER = "ACCOUNT_ID"
DEFAULT_ENVIRONMENT = "pmp-apply"
_REPO_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_ENVIRONMENT_RE = re.compile(r"^[^\s:*?\"']{1,255}$")

# Every change type the planner can send (all target the Experience entity), derived so a new
# one cannot be planned without being allowed.
PMP_CHANGE_TYPES = tuple(sorted(change_type.value for change_type in ChangeType))
CATALOG_READS = (
    "aws-marketplace:DescribeChangeSet",
    "aws-marketplace:DescribeEntity",
    "aws-marketplace:ListChangeSets",
    "aws-marketplace:ListEntities",
)
# DescribeOrganization: the organization guard; the rest: explain and plan --org-impact.
ORGANIZATIONS_READS = (
    "organizations:DescribeOrganization",
    "organizations:ListAccountsForParent",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListParents",
    "organizations:ListRoots",
)
BOOTSTRAP_READS = (
    "iam:ListRoles",
    "organizations:DescribeOrganization",
    "organizations:ListAWSServiceAccessForOrganization",
    "organizations:ListDelegatedAdministrators",
)


class Role(StrEnum):
    PLAN = "plan"
    APPLY = "apply"
    BOOTSTRAP = "bootstrap"


def permissions_policy(role: Role, account_id: str | None = None) -> dict[str, Any]:
    """The identity policy for ``role`` (apply includes everything plan reads)."""
    if role is Role.BOOTSTRAP:
        return _document(_bootstrap_statements(account_id or "*"))
    statements = [
        _allow("ReadPrivateMarketplace", CATALOG_READS, "*"),
        _allow("ReadOrganization", ORGANIZATIONS_READS, "*"),
    ]
    if role is Role.APPLY:
        statements += _apply_statements(account_id or "*")
    return _document(statements)


def _apply_statements(account: str) -> list[dict[str, Any]]:
    prefix = f"arn:aws:aws-marketplace:{CATALOG_REGION}:{account}:AWSMarketplace"
    change_sets = f"{prefix}/ChangeSet/*"
    start = _allow(
        "StartPrivateMarketplaceChanges",
        ("aws-marketplace:StartChangeSet",),
        [f"{prefix}/Experience/*", change_sets],
    )
    start["Condition"] = {"StringEquals": {"catalog:ChangeType": list(PMP_CHANGE_TYPES)}}
    tag = _allow("TagChangeSets", ("aws-marketplace:TagResource",), change_sets)
    return [start, tag]


def _bootstrap_statements(account: str) -> list[dict[str, Any]]:
    role_arn = (
        f"arn:aws:iam::{account}:role/aws-service-role/{PMP_SERVICE_PRINCIPAL}/{SERVICE_ROLE_NAME}"
    )
    create_role = _allow("CreatePmpServiceLinkedRole", ("iam:CreateServiceLinkedRole",), role_arn)
    create_role["Condition"] = {"StringEquals": {"iam:AWSServiceName": PMP_SERVICE_PRINCIPAL}}
    enable = _allow(
        "EnablePmpInOrganization",
        ("organizations:EnableAWSServiceAccess", "organizations:RegisterDelegatedAdministrator"),
        "*",
    )
    enable["Condition"] = {
        "StringEquals": {"organizations:ServicePrincipal": PMP_SERVICE_PRINCIPAL}
    }
    return [_allow("ReadEnablement", BOOTSTRAP_READS, "*"), create_role, enable]


def trust_policy(
    role: Role,
    repository: str,
    account_id: str | None = None,
    environment: str = DEFAULT_ENVIRONMENT,
) -> dict[str, Any]:
    """GitHub Actions OIDC trust: pull requests and the drift check on main may plan; only the
    protected environment may apply."""
    if role is Role.BOOTSTRAP:
        raise UsageError(
            "bootstrap is run once by an administrator of the management account, not from CI",
            hint="leave out --github-repo for --role bootstrap",
        )
    check_repository(repository)
    if not _ENVIRONMENT_RE.match(environment):
        raise UsageError(f"'{environment}' is not a usable GitHub environment name")
    subjects = (
        [f"repo:{repository}:pull_request", f"repo:{repository}:ref:refs/heads/main"]
        if role is Role.PLAN
        else f"repo:{repository}:environment:{environment}"
    )
    provider = f"arn:aws:iam::{account_id or ACCOUNT_PLACEHOLDER}:oidc-provider/{GITHUB_OIDC}"
    statement = {
        "Sid": "GitHubActions",
        "Effect": "Allow",
        "Principal": {"Federated": provider},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {
                f"{GITHUB_OIDC}:aud": "sts.amazonaws.com",
                f"{GITHUB_OIDC}:sub": subjects,
            }
        },
    }
    return _document([statement])


def check_repository(repository: str) -> None:
    if not _REPO_RE.match(repository):
        raise UsageError(
            f"'{repository}' is not a GitHub repository", hint="use OWNER/REPO, e.g. acme/pmp"
        )


def check_account(account_id: str | None) -> None:
    if account_id is not None and not ACCOUNT_ID_RE.match(account_id):
        raise UsageError(f"'{account_id}' is not an account id", hint="12 digits")


def _allow(sid: str, actions: tuple[str, ...], resource: str | list[str]) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resource}


def _document(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": VERSION, "Statement": statements}
