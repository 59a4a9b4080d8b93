"""Enable Private Marketplace for an organization, from its management account.

Three steps, each idempotent: the service-linked role, trusted access for the PMP service
principal, the delegated administrator. Each is read first, so a second run (or ``dry_run``)
makes no write call and reports "already".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pmp_reconcile.catalog.client import aws_call
from pmp_reconcile.errors import AwsError, UsageError
from pmp_reconcile.model import NodeKind
from pmp_reconcile.org.ids import require
from pmp_reconcile.org.steps import Outcome, StepReport

PMP_SERVICE_PRINCIPAL = "private-marketplace.marketplace.amazonaws.com"
SERVICE_ROLE_PATH = f"/aws-service-role/{PMP_SERVICE_PRINCIPAL}/"
SERVICE_ROLE_NAME = "AWSServiceRoleForPrivateMarketplaceAdmin"
# IAM answers InvalidInput ("... has been taken") for an existing service-linked role; the
# role is looked up again before that is taken as success (InvalidInput has other causes).
_ROLE_EXISTS = ("InvalidInput", "EntityAlreadyExists")
_ADMIN_EXISTS = ("AccountAlreadyRegisteredException",)


@dataclass
class Bootstrapper:
    """The steps against an IAM and an Organizations client of the management account."""

    iam: Any
    organizations: Any
    dry_run: bool = False

    def run(self, delegated_admin: str | None) -> tuple[StepReport, ...]:
        if delegated_admin is not None:
            require(delegated_admin, NodeKind.ACCOUNT)
            self._refuse_management(delegated_admin)
        reports = [self.service_linked_role(), self.trusted_access()]
        if delegated_admin is not None:
            reports.append(self.delegated_admin(delegated_admin))
        return tuple(reports)

    def service_linked_role(self) -> StepReport:
        step = "service-linked role"
        if self._role_exists():
            return StepReport(step, Outcome.ALREADY, f"{SERVICE_ROLE_PATH} holds the role")
        if self.dry_run:
            return StepReport(step, Outcome.WOULD_DO, f"create it for {PMP_SERVICE_PRINCIPAL}")
        try:
            with aws_call("CreateServiceLinkedRole"):
                self.iam.create_service_linked_role(AWSServiceName=PMP_SERVICE_PRINCIPAL)
        except AwsError as error:
            if error.aws_code not in _ROLE_EXISTS or not self._role_exists():
                raise
            return StepReport(step, Outcome.ALREADY, "IAM says it exists")
        return StepReport(step, Outcome.DONE, f"created for {PMP_SERVICE_PRINCIPAL}")

    def trusted_access(self) -> StepReport:
        step = "trusted access"
        if self._access_enabled():
            return StepReport(step, Outcome.ALREADY, f"enabled for {PMP_SERVICE_PRINCIPAL}")
        if self.dry_run:
            return StepReport(step, Outcome.WOULD_DO, f"enable it for {PMP_SERVICE_PRINCIPAL}")
        with aws_call("EnableAWSServiceAccess"):
            self.organizations.enable_aws_service_access(ServicePrincipal=PMP_SERVICE_PRINCIPAL)
        return StepReport(step, Outcome.DONE, f"enabled for {PMP_SERVICE_PRINCIPAL}")

    def delegated_admin(self, account_id: str) -> StepReport:
        step = "delegated administrator"
        registered = self._delegated_admins()
        if account_id in registered:
            return StepReport(step, Outcome.ALREADY, f"{account_id} is registered")
        others = f" (registered now: {', '.join(sorted(registered))})" if registered else ""
        if self.dry_run:
            return StepReport(step, Outcome.WOULD_DO, f"register {account_id}{others}")
        try:
            with aws_call("RegisterDelegatedAdministrator"):
                self.organizations.register_delegated_administrator(
                    AccountId=account_id, ServicePrincipal=PMP_SERVICE_PRINCIPAL
                )
        except AwsError as error:
            if error.aws_code not in _ADMIN_EXISTS:
                raise
            return StepReport(step, Outcome.ALREADY, f"{account_id} is registered")
        return StepReport(step, Outcome.DONE, f"registered {account_id}{others}")

    def _refuse_management(self, account_id: str) -> None:
        with aws_call("DescribeOrganization"):
            organization = self.organizations.describe_organization()["Organization"]
        if organization.get("MasterAccountId") == account_id:
            raise UsageError(
                f"{account_id} is the management account; it cannot be its own delegated admin",
                hint="name a member account, or leave out --delegated-admin",
            )

    def _role_exists(self) -> bool:
        with aws_call("ListRoles"):
            pages = self.iam.get_paginator("list_roles").paginate(PathPrefix=SERVICE_ROLE_PATH)
            return any(page.get("Roles") for page in pages)

    def _access_enabled(self) -> bool:
        with aws_call("ListAWSServiceAccessForOrganization"):
            pages = self.organizations.get_paginator(
                "list_aws_service_access_for_organization"
            ).paginate()
            enabled = {
                s["ServicePrincipal"] for p in pages for s in p.get("EnabledServicePrincipals", ())
            }
        return PMP_SERVICE_PRINCIPAL in enabled

    def _delegated_admins(self) -> set[str]:
        with aws_call("ListDelegatedAdministrators"):
            pages = self.organizations.get_paginator("list_delegated_administrators").paginate(
                ServicePrincipal=PMP_SERVICE_PRINCIPAL
            )
            return {a["Id"] for p in pages for a in p.get("DelegatedAdministrators", ())}
