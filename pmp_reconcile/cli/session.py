"""From the global options to a target: AWS, another endpoint, or the embedded sandbox."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.catalog.client import CATALOG_REGION, ConnectionOptions, Transport
from pmp_reconcile.cli.app import GlobalOptions
from pmp_reconcile.errors import UsageError
from pmp_reconcile.model import Caller
from pmp_reconcile.workflows import SANDBOX_CREDENTIALS, Target, connect
from pmp_reconcile.workflows.products import Discovery, connect_discovery

if TYPE_CHECKING:  # the organization's modules are imported when a command reads it
    from pmp_reconcile.products.api import DiscoveryApi
    from pmp_reconcile.sandbox.transport import Client
    from pmp_reconcile.workflows.org_tree import OrgSource

#: boto3 reads it for the Discovery client; when set it wins over ``--endpoint-url``.
DISCOVERY_ENDPOINT_ENV = "AWS_ENDPOINT_URL_MARKETPLACE_DISCOVERY"


def target_of(options: GlobalOptions, *, refresh_products: bool = False) -> Target:
    """The target the options name; nothing connects until a workflow asks for the API."""
    products = discovery_of(options, refresh=refresh_products)
    region = _catalog_region(options)
    if options.sandbox:
        return Target(
            api_for=lambda caller: _sandbox_api(options, caller), products=products, remote=False
        )
    connection = ConnectionOptions(
        profile=options.profile, region=region, endpoint_url=options.endpoint_url
    )
    organizations = ConnectionOptions(profile=options.profile)
    return Target(
        api_for=lambda caller: connect(connection, caller),
        organization_of=lambda: _organization_id(organizations),
        products=products,
    )


def _organization_id(connection: ConnectionOptions) -> str:
    from pmp_reconcile.org.identity import current_organization_id

    return current_organization_id(connection)


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


def discovery_of(options: GlobalOptions, *, refresh: bool = False) -> Discovery:
    """Where product facts come from: the sandbox, an endpoint, or AWS; cached per source."""
    cache = options.cache_home
    if options.sandbox:
        home = options.sandbox_home
        source = f"sandbox:{home.resolve()}"
        return Discovery(lambda: _sandbox_discovery(options), source, cache, refresh)
    endpoint = None if os.environ.get(DISCOVERY_ENDPOINT_ENV) else options.endpoint_url
    connection = ConnectionOptions(profile=options.profile, endpoint_url=endpoint)
    source = os.environ.get(DISCOVERY_ENDPOINT_ENV) or endpoint or f"aws:{options.profile or ''}"
    return Discovery(lambda: connect_discovery(connection), source, cache, refresh)


def _sandbox_discovery(options: GlobalOptions) -> DiscoveryApi:
    from pmp_reconcile.sandbox import PersistentSandbox

    transport: Transport = PersistentSandbox(options.sandbox_home).attach
    connection = ConnectionOptions(credentials=SANDBOX_CREDENTIALS)
    return connect_discovery(connection, transport)


def organizations_of(options: GlobalOptions) -> tuple[ConnectionOptions, Transport | None]:
    """How to reach Organizations and IAM: AWS, or the sandbox's seeded organization."""
    if not options.sandbox:
        return ConnectionOptions(profile=options.profile), None
    # moto (the sandbox extra) is imported only when a client is attached
    from pmp_reconcile.sandbox.organizations import OrganizationsSandbox, OrganizationsUnavailable

    sandbox = OrganizationsSandbox(options.sandbox_home)

    def attach(client: Client) -> None:
        try:
            sandbox.attach(client)
        except OrganizationsUnavailable as problem:
            raise UsageError(str(problem), hint=problem.hint) from None

    return ConnectionOptions(credentials=SANDBOX_CREDENTIALS), attach


def org_source_of(options: GlobalOptions, org_file: Path | None) -> OrgSource:
    """The organization tree: ``--org-file``, else Organizations (or the sandbox's)."""
    from pmp_reconcile.workflows.org_tree import org_source

    connection, transport = organizations_of(options)
    return org_source(connection, org_file, transport)
