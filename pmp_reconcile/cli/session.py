"""From the global options to a target: AWS, another endpoint, or the embedded sandbox."""

from __future__ import annotations

from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.catalog.client import ConnectionOptions, Transport
from pmp_reconcile.cli.app import GlobalOptions
from pmp_reconcile.model import Caller
from pmp_reconcile.org.identity import current_organization_id
from pmp_reconcile.workflows import SANDBOX_CREDENTIALS, Target, connect


def target_of(options: GlobalOptions) -> Target:
    """The target the options name; nothing connects until a workflow asks for the API."""
    if options.sandbox:
        return Target(api_for=lambda caller: _sandbox_api(options, caller), remote=False)
    connection = ConnectionOptions(
        profile=options.profile, region=options.region, endpoint_url=options.endpoint_url
    )
    organizations = ConnectionOptions(profile=options.profile)
    return Target(
        api_for=lambda caller: connect(connection, caller),
        organization_of=lambda: current_organization_id(organizations),
    )


def _sandbox_api(options: GlobalOptions, caller: Caller) -> CatalogApi:
    from pmp_reconcile.sandbox import PersistentSandbox  # the emulator: only with --sandbox

    transport: Transport = PersistentSandbox(options.sandbox_home).attach
    connection = ConnectionOptions(region=options.region, credentials=SANDBOX_CREDENTIALS)
    return connect(connection, caller, transport)
