"""Fixtures for the sandbox: a real boto3 client wired to a fresh marketplace.

``catalog`` runs every contract test twice, once through the in-process ``before-send`` hook
and once through the loopback HTTP server, so both transports keep one contract.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from botocore.config import Config
from mypy_boto3_marketplace_catalog import MarketplaceCatalogClient
from mypy_boto3_marketplace_discovery import MarketplaceDiscoveryClient

from pmp_reconcile.sandbox import (
    FakeClock,
    Marketplace,
    SandboxServer,
    SandboxSettings,
    attach,
)

OWNER = "111122223333"
DELEGATED = "444455556666"
DELEGATED_KEY = "AKIDDELEGATED"
TRANSPORTS = ["in_process", "http"]
NO_RETRIES = Config(retries={"total_max_attempts": 1})


def make_client(
    access_key: str = "testing", endpoint_url: str | None = None
) -> MarketplaceCatalogClient:
    """A real client with dummy credentials and no retries (a retry would hide a fault)."""
    return boto3.client(
        "marketplace-catalog",
        region_name="us-east-1",
        aws_access_key_id=access_key,
        aws_secret_access_key="testing",
        endpoint_url=endpoint_url,
        config=NO_RETRIES,
    )


@dataclass
class Catalog:
    """A client, the marketplace behind it and the knobs a test may turn."""

    transport: str
    marketplace: Marketplace
    clock: FakeClock
    settings: SandboxSettings
    client: MarketplaceCatalogClient
    endpoint_url: str | None = None
    _stack: ExitStack = field(default_factory=ExitStack)
    _sleep: Callable[[float], None] | None = None

    def start(self, *changes: dict[str, Any], **extra: Any) -> str:
        """StartChangeSet with ``changes``; the new change set's id."""
        reply = self.client.start_change_set(
            Catalog="AWSMarketplace",
            ChangeSet=list(changes),  # type: ignore[arg-type]
            **extra,
        )
        return reply["ChangeSetId"]

    def describe(self, change_set_id: str) -> dict[str, Any]:
        """DescribeChangeSet, as a plain dict."""
        reply = self.client.describe_change_set(Catalog="AWSMarketplace", ChangeSetId=change_set_id)
        return dict(reply)

    def client_as(self, access_key: str) -> MarketplaceCatalogClient:
        """Another client on the same transport, signing with ``access_key``."""
        client = make_client(access_key, self.endpoint_url)
        if self.transport == "in_process":
            self._stack.enter_context(
                attach(client, self.marketplace, self.settings, clock=self.clock, sleep=self._sleep)
            )
        return client

    def discovery(self, access_key: str = "testing") -> MarketplaceDiscoveryClient:
        """A Discovery API client on the same transport and marketplace."""
        client: MarketplaceDiscoveryClient = boto3.client(
            "marketplace-discovery",
            region_name="us-east-1",
            aws_access_key_id=access_key,
            aws_secret_access_key="testing",
            endpoint_url=self.endpoint_url,
            config=NO_RETRIES,
        )
        if self.transport == "in_process":
            self._stack.enter_context(
                attach(client, self.marketplace, self.settings, clock=self.clock, sleep=self._sleep)
            )
        return client


MakeCatalog = Callable[..., Catalog]


@pytest.fixture(autouse=True)
def _hermetic_aws(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No user AWS config, profile, endpoint override or proxy may leak into a test."""
    empty = tmp_path_factory.getbasetemp() / "no-aws-config"
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_MARKETPLACE_CATALOG", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_MARKETPLACE_DISCOVERY", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_catalog(transport: str) -> Iterator[MakeCatalog]:
    """Build catalogs with custom settings: ``make_catalog(settings, sleep=fake_sleep)``."""
    with ExitStack() as stack:

        def build(
            settings: SandboxSettings | None = None,
            *,
            sleep: Callable[[float], None] | None = None,
            marketplace: Marketplace | None = None,
        ) -> Catalog:
            chosen = settings or SandboxSettings()
            clock = FakeClock()
            state = marketplace or Marketplace(chosen.state, clock)
            catalog = _wire(transport, state, chosen, clock, sleep)
            stack.enter_context(catalog._stack)
            return catalog

        yield build


def _wire(
    transport: str,
    state: Marketplace,
    settings: SandboxSettings,
    clock: FakeClock,
    sleep: Callable[[float], None] | None,
) -> Catalog:
    stack = ExitStack()
    if transport == "http":
        server = SandboxServer(state, settings=settings, clock=clock, sleep=sleep)
        url = server.start()
        stack.callback(server.stop)
        client = make_client(endpoint_url=url)
        return Catalog(transport, state, clock, settings, client, url, stack, sleep)
    client = make_client()
    stack.enter_context(attach(client, state, settings, clock=clock, sleep=sleep))
    return Catalog(transport, state, clock, settings, client, None, stack, sleep)


@pytest.fixture
def catalog(make_catalog: MakeCatalog) -> Catalog:
    """A fresh, empty marketplace behind a real client (lifecycle ``immediate``)."""
    return make_catalog()


@pytest.fixture
def client_factory() -> Callable[..., MarketplaceCatalogClient]:
    """``make_client(access_key="testing", endpoint_url=None)`` for tests wiring their own."""
    return make_client


def error_of(raised: Any) -> tuple[str, int, str]:
    """(code, HTTP status, message) of a ``ClientError`` caught by ``pytest.raises``."""
    response = raised.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


@pytest.fixture(name="error_of")
def error_of_fixture() -> Callable[[Any], tuple[str, int, str]]:
    """:func:`error_of`, for test modules (they import nothing from this conftest)."""
    return error_of
