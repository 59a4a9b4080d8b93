"""AWS Organizations (and IAM) for ``--sandbox``, played by moto in process.

The organization lives in ``<home>/organization.json``, written by ``sandbox reset`` from the
seed. A command that reads Organizations loads that file into moto's in-process model with the
seeded ids, and its boto3 client is answered by moto through a ``before-send`` hook on that
client alone (no process-wide patching, no port). Writes that bootstrap makes (trusted access,
delegated administrators) are saved back to the file after each call, under the home's lock,
so the next command reads what the last one left — the same load → run → save as ``state.json``.

moto is an optional dependency (the ``sandbox`` extra) and is imported only here, on first use.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from pmp_reconcile.sandbox.org_seed import check_organization
from pmp_reconcile.sandbox.persistent import locked_home, read_json, write_json_atomic
from pmp_reconcile.sandbox.transport import Client

ORGANIZATION_FILE = "organization.json"
EXTRA_HINT = "pip install 'pmp-reconcile[sandbox]'"
# Stock moto predates Private Marketplace's integration with Organizations; without the
# principal on its lists it refuses EnableAWSServiceAccess and RegisterDelegatedAdministrator.
PMP_PRINCIPAL = "private-marketplace.marketplace.amazonaws.com"
_REGION = "us-east-1"
# The Organizations writes a command can make here (bootstrap's); saved after each.
WRITES = {
    "organizations": ("EnableAWSServiceAccess", "RegisterDelegatedAdministrator"),
    "iam": ("CreateServiceLinkedRole",),
}
_SERVICE_ROLES = "/aws-service-role/"


class OrganizationsUnavailable(Exception):
    """The sandbox cannot play Organizations: moto missing, or no organization seeded."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def _moto() -> Any:
    try:
        from moto.core.botocore_stubber import BotocoreStubber
        from moto.core.models import DEFAULT_ACCOUNT_ID
        from moto.iam import models as iam
        from moto.organizations import models
    except ImportError as error:
        raise OrganizationsUnavailable(
            f"the sandbox plays AWS Organizations with moto, which is not installed ({error})",
            hint=EXTRA_HINT,
        ) from None
    return DEFAULT_ACCOUNT_ID, BotocoreStubber, models, iam


class OrganizationsSandbox:
    """The organization of a ``--sandbox`` home, served to boto3 clients in process."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)

    @property
    def path(self) -> Path:
        return self.home / ORGANIZATION_FILE

    def write(self, document: dict[str, Any] | None) -> None:
        """Keep ``document`` as the home's organization (None: the home has none)."""
        with self._locked():
            if document is None:
                self.path.unlink(missing_ok=True)
            else:
                write_json_atomic(self.path, check_organization(document))

    def document(self) -> dict[str, Any]:
        if not self.path.exists():
            raise OrganizationsUnavailable(
                f"the sandbox in {self.home} holds no organization",
                hint="seed one: pmp-reconcile sandbox reset --seed examples/sandbox-seed.json "
                "(its 'organization' member; see docs/sandbox.md)",
            )
        try:
            return check_organization(read_json(self.path))
        except ValueError as problem:
            raise OrganizationsUnavailable(
                f"{self.path}: {problem}", hint="reset the sandbox"
            ) from None

    def attach(self, client: Client) -> None:
        """Answer ``client``'s calls (Organizations or IAM) from moto, loaded from the file."""
        stubber = _moto()[1]()
        stubber.enabled = True
        service = _service(client)
        (build if service == "organizations" else build_iam)(self.document())
        for operation in WRITES.get(service, ()):
            client.meta.events.register(f"after-call.{service}.{operation}", self._saved)
        client.meta.events.register(f"before-send.{service}", stubber)

    def _saved(self, **_: Any) -> None:
        """After a write: keep what bootstrap changed in the file the next command loads."""
        with self._locked():
            document = read_json(self.path)
            document.update(_writable_state())
            write_json_atomic(self.path, document)

    def _locked(self) -> AbstractContextManager[None]:
        return locked_home(self.home)


def _service(client: Client) -> str:
    model = client.meta.service_model  # type: ignore[attr-defined]
    return str(model.service_name)


def _backend() -> Any:
    account, _, models, _ = _moto()
    for kind, attribute in (
        (models.FakeServiceAccess, "TRUSTED_SERVICES"),
        (models.FakeDelegatedAdministrator, "SUPPORTED_SERVICES"),
    ):
        if PMP_PRINCIPAL not in getattr(kind, attribute):
            setattr(kind, attribute, [*getattr(kind, attribute), PMP_PRINCIPAL])
    return models.organizations_backends[account]["aws"]


def build(document: dict[str, Any]) -> None:
    """moto's organization, replaced by ``document``'s, with the ids the seed gives."""
    backend = _backend()
    backend._reset()
    backend.create_organization(region=_REGION, FeatureSet="ALL")
    organization, root = backend.org, backend.ou[0]
    management = document.get("management_account_id") or organization.master_account_id
    organization.id, organization.master_account_id = document["organization_id"], management
    organization.root_id = root.id = document["root"]["id"]
    _renumber(backend.accounts[0], management, root.id, organization)
    root.organization_id = organization.id
    _add_children(backend, document["root"], organization)
    if not any(a.id == management for a in backend.accounts[1:]):
        backend.accounts[0].name = "management"
    else:
        backend.accounts.pop(0)
    _restore_writable(backend, document)


def _renumber(node: Any, node_id: str, parent_id: str, organization: Any) -> None:
    node.id, node.parent_id = node_id, parent_id
    node.organization_id = organization.id
    node.master_account_id = organization.master_account_id


def _add_children(backend: Any, parent: dict[str, Any], organization: Any) -> None:
    """Accounts and OUs below ``parent`` through moto's own operations, then given their ids."""
    for child in parent.get("children") or []:
        node_id, name = child["id"], child.get("name") or child["id"]
        if node_id.startswith("ou-"):
            backend.create_organizational_unit(Name=name, ParentId=parent["id"])
            node = backend.ou[-1]
        else:
            backend.create_account(AccountName=name, Email=f"{node_id}@example.org")
            node = backend.accounts[-1]
        _renumber(node, node_id, parent["id"], organization)
        _add_children(backend, child, organization)


def _iam_backend() -> Any:
    account, _, _, iam = _moto()
    return iam.iam_backends[account]["global"]


def build_iam(document: dict[str, Any]) -> None:
    """moto's IAM, holding only the service-linked roles bootstrap created before."""
    backend = _iam_backend()
    backend.reset()
    for principal in document.get("service_linked_roles") or []:
        backend.create_service_linked_role(principal, description="", suffix="")


def _restore_writable(backend: Any, document: dict[str, Any]) -> None:
    for principal in document.get("service_access") or []:
        backend.enable_aws_service_access(ServicePrincipal=principal)
    for principal, accounts in (document.get("delegated_administrators") or {}).items():
        for account in accounts:
            backend.register_delegated_administrator(AccountId=account, ServicePrincipal=principal)


def _writable_state() -> dict[str, Any]:
    """What bootstrap writes, read back from moto in the document's shape."""
    backend = _backend()
    admins: dict[str, list[str]] = {}
    for admin in backend.admins:
        for principal in admin.services:
            admins.setdefault(principal, []).append(admin.account.id)
    roles = _iam_backend().roles.values()
    return {
        "service_linked_roles": sorted(
            r.path.split("/")[2] for r in roles if r.path.startswith(_SERVICE_ROLES)
        ),
        "service_access": sorted(s["ServicePrincipal"] for s in backend.services),
        "delegated_administrators": {p: sorted(a) for p, a in sorted(admins.items())},
    }
