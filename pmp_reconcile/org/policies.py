"""Least-privilege IAM policies for the roles that run pmp-reconcile, and their GitHub trust.

Facts (Service Authorization Reference, "AWS Marketplace Catalog"): BatchDescribeEntities is
authorised by ``aws-marketplace:DescribeEntity`` on each entity (there is no separate action).
Resource types: DescribeEntity and StartChangeSet take the Entity ARN (required; StartChangeSet
takes no change-set ARN), DescribeChangeSet the ChangeSet ARN, ListEntities and ListChangeSets
none (``*``). StartChangeSet has the ``catalog:ChangeType``, ``aws:RequestTag`` and
``aws:TagKeys`` condition keys and no dependent action, so tags given in ``ChangeSetTags`` need
no ``TagResource``. AWS's service-linked role for PMP scopes DescribeEntity to the four PMP
entity types. ARNs: ``arn:aws:aws-marketplace:REGION:ACCOUNT:AWSMarketplace/TYPE/ID`` and
``…:AWSMarketplace/ChangeSet/ID``.

Discovery (Service Authorization Reference, "AWS Marketplace Discovery"; same ``aws-marketplace``
prefix): GetProduct is a Read action, SearchListings a List action. The resource ARN formats of
the public catalog are not ones we can verify, so both are granted on ``*``.

Who calls what: plan lists entities and open change sets and describes entities, and looks up
product names (GetProduct); ``products search`` searches listings; apply also starts change
sets and follows them (DescribeChangeSet); bootstrap only touches IAM and Organizations.
tests/org/test_least_privilege.py records the operations each really calls.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pmp_reconcile.errors import UsageError

VERSION = "2012-10-17"
GITHUB_OIDC = "token.actions.githubusercontent.com"
ACCOUNT_PLACEHOLDER = "ACCOUNT_ID"
DEFAULT_ENVIRONMENT = "pmp-apply"
MAIN = "refs/heads/main"
_REPO_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_ENVIRONMENT_RE = re.compile(r"^[^\s:*?\"']{1,255}$")

#: The PMP entity types, as AWS's own service-linked role scopes DescribeEntity to them
#: (AWSServiceRoleForPrivateMarketplaceAdminPolicy). BatchDescribeEntities is authorised by
#: DescribeEntity on each entity.
PMP_ENTITY_TYPES = ("Audience", "BrandingSettings", "Experience", "ProcurementPolicy")
#: Actions that authorise an operation of another name (otherwise the name is the action).
AUTHORISED_BY = {"BatchDescribeEntities": "DescribeEntity"}
# DescribeOrganization: the organization guard; the rest: explain and plan --org-impact.
ORGANIZATIONS_READS = (
    "organizations:DescribeOrganization",
    "organizations:ListAccountsForParent",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListParents",
    "organizations:ListRoots",
)
#: Product names and checks in plans (GetProduct) and ``products search`` (SearchListings).
DISCOVERY_READS = ("aws-marketplace:GetProduct", "aws-marketplace:SearchListings")
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
    account = account_id or "*"
    if role is Role.BOOTSTRAP:
        return _document(_bootstrap_statements(account))
    statements = [
        _allow(
            "ListPrivateMarketplace",
            ("aws-marketplace:ListChangeSets", "aws-marketplace:ListEntities"),
            "*",
        ),
        _allow(
            "DescribePrivateMarketplaceEntities",
            ("aws-marketplace:DescribeEntity",),
            [f"{_catalog_arn(account)}/{kind}/*" for kind in PMP_ENTITY_TYPES],
        ),
        _allow("ReadOrganization", ORGANIZATIONS_READS, "*"),
        _allow("ReadMarketplaceProducts", DISCOVERY_READS, "*"),
    ]
    if role is Role.APPLY:
        statements += _apply_statements(account)
    return _document(statements)


def _catalog_arn(account: str) -> str:
    # imported here: the client module imports botocore, which `--help` (whose role choices
    # come from this module) does without
    from pmp_reconcile.catalog.client import CATALOG_REGION

    return f"arn:aws:aws-marketplace:{CATALOG_REGION}:{account}:AWSMarketplace"


def pmp_change_types() -> tuple[str, ...]:
    """Every change type the planner can send (all target the Experience entity).

    Derived from the vocabulary, so a new one cannot be planned without being allowed.
    """
    from pmp_reconcile.catalog.vocabulary import ChangeType  # the model: only when a policy is made

    return tuple(sorted(change_type.value for change_type in ChangeType))


def _apply_statements(account: str) -> list[dict[str, Any]]:
    from pmp_reconcile.catalog.changes import CHANGE_SET_TAG_KEYS

    start = _allow(
        "StartPrivateMarketplaceChanges",
        ("aws-marketplace:StartChangeSet",),
        [f"{_catalog_arn(account)}/Experience/*"],
    )
    start["Condition"] = {"StringEquals": {"catalog:ChangeType": list(pmp_change_types())}}
    # ChangeSetTags are authorised by StartChangeSet itself (aws:TagKeys is one of its
    # condition keys; TagResource is no dependent action): only our own tag keys pass.
    start["Condition"]["ForAllValues:StringEquals"] = {"aws:TagKeys": list(CHANGE_SET_TAG_KEYS)}
    # Only apply follows its change sets.
    follow = _allow(
        "FollowChangeSets",
        ("aws-marketplace:DescribeChangeSet",),
        f"{_catalog_arn(account)}/ChangeSet/*",
    )
    return [start, follow]


def _bootstrap_statements(account: str) -> list[dict[str, Any]]:
    # imported here: bootstrap and the model build classes at import; `--help` need not wait
    from pmp_reconcile.org.bootstrap import PMP_SERVICE_PRINCIPAL, SERVICE_ROLE_NAME

    role_arn = (
        f"arn:aws:iam::{account}:role/aws-service-role/{PMP_SERVICE_PRINCIPAL}/{SERVICE_ROLE_NAME}"
    )
    create_role = _allow("CreatePmpServiceLinkedRole", ("iam:CreateServiceLinkedRole",), role_arn)
    create_role["Condition"] = {"StringEquals": {"iam:AWSServiceName": PMP_SERVICE_PRINCIPAL}}
    enable = _allow("EnablePmpInOrganization", ("organizations:EnableAWSServiceAccess",), "*")
    register = _allow(
        "RegisterPmpDelegatedAdministrator",
        ("organizations:RegisterDelegatedAdministrator",),
        f"arn:aws:organizations::{account}:account/o-*/*",
    )
    for statement in (enable, register):
        statement["Condition"] = {
            "StringEquals": {"organizations:ServicePrincipal": PMP_SERVICE_PRINCIPAL}
        }
    return [_allow("ReadEnablement", BOOTSTRAP_READS, "*"), create_role, enable, register]


#: The claims GitHub puts in a token's ``sub`` once the repository is customized: the job's
#: context (environment, branch or pull request) and the workflow file and ref it runs from.
SUBJECT_CLAIM_KEYS = ("repo", "context", "job_workflow_ref")
WORKFLOWS = {"plan": "plan.yml", "drift": "drift.yml", "apply": "apply.yml"}


def subject_customization_command(repository: str) -> str:
    """The one command that makes GitHub put ``SUBJECT_CLAIM_KEYS`` in the repository's tokens."""
    keys = " ".join(f"-f 'include_claim_keys[]={key}'" for key in SUBJECT_CLAIM_KEYS)
    return (
        f"gh api --method PUT repos/{repository}/actions/oidc/customization/sub "
        f"-F use_default=false {keys}"
    )


def trust_policy(
    role: Role,
    repository: str,
    account_id: str | None = None,
    environment: str = DEFAULT_ENVIRONMENT,
    *,
    allow_any_branch: bool = False,
) -> dict[str, Any]:
    """GitHub Actions OIDC trust: pull requests, the drift check and the apply workflow's plan
    job on main may plan; only the apply workflow on main, in the protected environment, may
    apply.

    GitHub's default ``sub`` for a job with an environment carries no branch, so binding apply
    to main needs the repository's subject customization (``subject_customization_command``).
    ``allow_any_branch`` keeps the default subject instead: any branch's job that names the
    environment may then apply, and only the environment's branch rule keeps it on main.
    """
    if role is Role.BOOTSTRAP:
        raise UsageError(
            "bootstrap is run once by an administrator of the management account, not from CI",
            hint="leave out --github-repo for --role bootstrap",
        )
    check_repository(repository)
    if not _ENVIRONMENT_RE.match(environment):
        raise UsageError(f"'{environment}' is not a usable GitHub environment name")
    operator, subjects = _subjects(role, repository, environment, allow_any_branch)
    condition: dict[str, dict[str, Any]] = {
        "StringEquals": {f"{GITHUB_OIDC}:aud": "sts.amazonaws.com"}
    }
    condition.setdefault(operator, {})[f"{GITHUB_OIDC}:sub"] = subjects
    provider = f"arn:aws:iam::{account_id or ACCOUNT_PLACEHOLDER}:oidc-provider/{GITHUB_OIDC}"
    statement = {
        "Sid": "GitHubActions",
        "Effect": "Allow",
        "Principal": {"Federated": provider},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition,
    }
    return _document([statement])


def _subjects(
    role: Role, repository: str, environment: str, allow_any_branch: bool
) -> tuple[str, list[str]]:
    """The condition operator and the ``sub`` values the role admits."""
    if role is Role.PLAN:
        return "StringLike", _plan_subjects(repository)
    if allow_any_branch:
        return "StringEquals", [f"repo:{repository}:environment:{environment}"]
    context = f"environment:{environment}"
    return "StringEquals", [_customized(repository, context, "apply", MAIN)]


def _customized(repository: str, context: str, workflow: str, ref: str) -> str:
    """A ``sub`` in the customized form: repo, context, then the workflow file and its ref."""
    workflow_ref = f"{repository}/.github/workflows/{WORKFLOWS[workflow]}@{ref}"
    return f"repo:{repository}:{context}:job_workflow_ref:{workflow_ref}"


def _plan_subjects(repository: str) -> list[str]:
    """Pull requests, the drift check and the apply workflow's plan job on main, in both subject
    forms: the plan role works before the customization is set and after (the customized forms
    also name the workflow)."""
    return [
        f"repo:{repository}:pull_request",
        f"repo:{repository}:ref:{MAIN}",
        _customized(repository, "pull_request", "plan", "refs/pull/*/merge"),
        _customized(repository, f"ref:{MAIN}", "drift", MAIN),
        _customized(repository, f"ref:{MAIN}", "apply", MAIN),
    ]


def check_repository(repository: str) -> None:
    name = repository.partition("/")[2]
    if not _REPO_RE.match(repository) or name.strip(".") == "":
        raise UsageError(
            f"'{repository}' is not a GitHub repository", hint="use OWNER/REPO, e.g. acme/pmp"
        )


def check_account(account_id: str | None) -> None:
    from pmp_reconcile.model import ACCOUNT_ID_RE

    if account_id is not None and not ACCOUNT_ID_RE.match(account_id):
        raise UsageError(f"'{account_id}' is not an account id", hint="12 digits")


def _allow(sid: str, actions: tuple[str, ...], resource: str | list[str]) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resource}


def _document(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": VERSION, "Statement": statements}
