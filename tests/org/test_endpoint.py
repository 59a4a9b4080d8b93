"""The reader goes through boto3's ordinary configuration: AWS_ENDPOINT_URL_ORGANIZATIONS."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto.server import ThreadedMotoServer

from pmp_reconcile.catalog.client import ConnectionOptions
from pmp_reconcile.org.reader import OrganizationsReader, organizations_client


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    moto.start()
    host, port = moto.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        moto.stop()


def test_endpoint_from_the_environment(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seeded = boto3.client("organizations", region_name="us-east-1", endpoint_url=server)
    organization = seeded.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    monkeypatch.setenv("AWS_ENDPOINT_URL_ORGANIZATIONS", server)
    reader = OrganizationsReader(organizations_client(ConnectionOptions()))
    assert reader.organization()[0] == organization
