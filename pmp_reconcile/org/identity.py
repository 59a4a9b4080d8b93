"""Which organization the credentials reach: the guard behind ``pmp.yaml``'s organization_id."""

from __future__ import annotations

from pmp_reconcile.catalog.client import ConnectionOptions, aws_call, make_client
from pmp_reconcile.errors import OrganizationMismatch

ORGANIZATIONS_SERVICE = "organizations"


def current_organization_id(options: ConnectionOptions) -> str:
    """The caller's organization id (DescribeOrganization works from any member account)."""
    client = make_client(ORGANIZATIONS_SERVICE, options)
    with aws_call("DescribeOrganization"):
        response = client.describe_organization()
    return str(response["Organization"]["Id"])


def ensure_organization(expected: str, actual: str) -> None:
    """Refuse to touch a marketplace of another organization than the tree names."""
    if expected != actual:
        raise OrganizationMismatch(
            f"the credentials reach organization {actual}, but pmp.yaml names {expected}",
            hint="use the profile of the right management or delegated admin account",
        )
