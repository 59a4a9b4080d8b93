"""``bootstrap``: enable Private Marketplace from the management account, step by step."""

from __future__ import annotations

from pmp_reconcile.catalog.client import ConnectionOptions, make_client
from pmp_reconcile.org.bootstrap import Bootstrapper
from pmp_reconcile.org.reader import organizations_client
from pmp_reconcile.org.steps import StepReport

IAM_SERVICE = "iam"


def bootstrap(
    connection: ConnectionOptions, delegated_admin: str | None, dry_run: bool
) -> tuple[StepReport, ...]:
    """Run (or with ``dry_run`` only report) the three enablement steps."""
    iam = make_client(IAM_SERVICE, ConnectionOptions(profile=connection.profile))
    organizations = organizations_client(connection)
    return Bootstrapper(iam, organizations, dry_run=dry_run).run(delegated_admin)
