"""``pmp-reconcile bootstrap``: enable Private Marketplace, from the management account."""

from __future__ import annotations

import click

from pmp_reconcile.cli.app import GlobalOptions, cli
from pmp_reconcile.errors import ExitCode


@cli.command("bootstrap")
@click.option("--delegated-admin", metavar="ACCOUNT_ID", help="Register this member account.")
@click.option("--dry-run", is_flag=True, help="Only report what would be done (read calls only).")
@click.pass_obj
def bootstrap_command(options: GlobalOptions, delegated_admin: str | None, dry_run: bool) -> int:
    """Create the service-linked role, enable trusted access, register the delegated admin.

    Safe to run again: a step already in place is reported as "already".
    """
    from pmp_reconcile.cli.session import organizations_of  # boto3: loaded when it runs
    from pmp_reconcile.views.bootstrap import render_steps
    from pmp_reconcile.workflows.bootstrap import bootstrap

    connection, transport = organizations_of(options)
    reports = bootstrap(connection, delegated_admin, dry_run, transport)
    click.echo(render_steps(reports), nl=False)
    return ExitCode.OK
