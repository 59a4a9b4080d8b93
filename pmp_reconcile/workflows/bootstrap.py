"""``bootstrap``: enable Private Marketplace from the management account, step by step."""

from __future__ import annotations

from pmp_reconcile.catalog.client import ConnectionOptions, Transport, make_client
from pmp_reconcile.org.bootstrap import Bootstrapper
from pmp_reconcile.org.reader import organizations_client
from pmp_reconcile.org.steps import StepReport

IAM_SERVICE = "iam"


def bootstrap(
    connection: ConnectionOptions,
    delegated_admin: str | None,
    dry_run: bool,
    transport: Transport | None = None,
) -> tuple[StepReport, ...]:
    """Run (or with ``dry_run`` only report) the three enablement steps."""
    global_options = ConnectionOptions(
        profile=connection.profile, credentials=connection.credentials
    )
    iam = make_client(IAM_SERVICE, global_options, transport)
    organizations = organizations_client(connection, transport)
    return Bootstrapper(iam, organizations, dry_run=dry_run).run(delegated_admin)
