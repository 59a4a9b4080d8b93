"""From the global options to a target: AWS, another endpoint, or the embedded sandbox."""

from __future__ import annotations

import click

from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.catalog.client import CATALOG_REGION, ConnectionOptions, Transport
from pmp_reconcile.cli.app import GlobalOptions
from pmp_reconcile.model import Caller
from pmp_reconcile.org.identity import current_organization_id
from pmp_reconcile.workflows import SANDBOX_CREDENTIALS, Target, connect


def target_of(options: GlobalOptions) -> Target:
    """The target the options name; nothing connects until a workflow asks for the API."""
    region = _catalog_region(options)
    if options.sandbox:
        return Target(api_for=lambda caller: _sandbox_api(options, caller))
    connection = ConnectionOptions(
        profile=options.profile, region=region, endpoint_url=options.endpoint_url
    )
    organizations = ConnectionOptions(profile=options.profile)
    return Target(
        api_for=lambda caller: connect(connection, caller),
        organization_of=lambda: current_organization_id(organizations),
    )


def _catalog_region(options: GlobalOptions) -> str:
    """The Catalog API has one endpoint, in us-east-1: another region is noted, not used
    (except for a custom endpoint, which may sign for any region)."""
    if options.region == CATALOG_REGION or options.endpoint_url is not None:
        return options.region
    click.echo(
        f"note: the Catalog API is only in {CATALOG_REGION}; --region {options.region} is "
        "ignored for it",
        err=True,
    )
    return CATALOG_REGION


def _sandbox_api(options: GlobalOptions, caller: Caller) -> CatalogApi:
    from pmp_reconcile.sandbox import PersistentSandbox  # the emulator: only with --sandbox

    transport: Transport = PersistentSandbox(options.sandbox_home).attach
    connection = ConnectionOptions(region=CATALOG_REGION, credentials=SANDBOX_CREDENTIALS)
    return connect(connection, caller, transport)
