"""Organizations and IAM on moto: a 5-level OU tree with accounts at several depths.

Stock moto refuses ``private-marketplace.marketplace.amazonaws.com`` in EnableAWSServiceAccess
and RegisterDelegatedAdministrator ("unrecognized service principal"): its lists of accepted
principals (``FakeServiceAccess.TRUSTED_SERVICES`` and
``FakeDelegatedAdministrator.SUPPORTED_SERVICES`` in moto/organizations/models.py) predate
the PMP integration, so the fixture extends both with the PMP principal.
"""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws
from moto.organizations import models as org_models
from moto_org import Org

from pmp_reconcile.org.bootstrap import PMP_SERVICE_PRINCIPAL


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Moto for every AWS call, with the PMP principal accepted."""
    for name in ("AWS_ENDPOINT_URL_ORGANIZATIONS", "AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    trusted = [*org_models.FakeServiceAccess.TRUSTED_SERVICES, PMP_SERVICE_PRINCIPAL]
    supported = [*org_models.FakeDelegatedAdministrator.SUPPORTED_SERVICES, PMP_SERVICE_PRINCIPAL]
    monkeypatch.setattr(org_models.FakeServiceAccess, "TRUSTED_SERVICES", trusted)
    monkeypatch.setattr(org_models.FakeDelegatedAdministrator, "SUPPORTED_SERVICES", supported)
    with mock_aws():
        yield


@pytest.fixture
def org(aws: None) -> Org:
    """Root → ou1 → ou2 → ou3 → ou4 → ou5, a side OU, and accounts at depths 0, 1, 3, 5."""
    client = boto3.client("organizations", region_name="us-east-1")
    described = client.create_organization(FeatureSet="ALL")["Organization"]
    root = client.list_roots()["Roots"][0]["Id"]
    built = Org(client, described["Id"], root, described["MasterAccountId"])
    parent = root
    for depth in range(1, 6):
        ou = client.create_organizational_unit(ParentId=parent, Name=f"level{depth}")
        parent = ou["OrganizationalUnit"]["Id"]
        built.ous.append(parent)
    side = client.create_organizational_unit(ParentId=root, Name="side")
    built.side_ou = side["OrganizationalUnit"]["Id"]
    built.account("top", root)
    built.account("one", built.ous[0])
    built.account("three", built.ous[2])
    built.account("deep", built.ous[4])
    built.account("deep2", built.ous[4])
    built.account("side", built.side_ou)
    return built
