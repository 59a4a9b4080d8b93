"""Make AWS clients the ordinary way, and translate botocore errors into ours.

The standard AWS environment (credential chain, ``AWS_PROFILE``,
``AWS_ENDPOINT_URL_MARKETPLACE_CATALOG``, …) works because botocore builds the client; the
options only add what the CLI was told. ``transport`` lets the sandbox hook a client in process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
)

from pmp_reconcile.errors import (
    AwsAccessDenied,
    AwsCredentialsError,
    AwsError,
    AwsNotFound,
    AwsQuotaExceeded,
    AwsResourceInUse,
    AwsServiceError,
    AwsThrottled,
    AwsValidationError,
    UsageError,
)

if TYPE_CHECKING:  # botocore is slow to import: only when a client is made
    from botocore.client import BaseClient

CATALOG_SERVICE = "marketplace-catalog"
CATALOG_REGION = "us-east-1"
Transport = Callable[["BaseClient"], object]


@dataclass(frozen=True)
class ConnectionOptions:
    """How to reach AWS (or a sandbox). ``credentials`` overrides the chain (sandbox use)."""

    profile: str | None = None
    region: str = CATALOG_REGION
    endpoint_url: str | None = None
    credentials: tuple[str, str] | None = None
    max_pool_connections: int = 16
    max_attempts: int = 1  # botocore's retries off: CatalogApi retries with injected time


def make_client(
    service: str, options: ConnectionOptions, transport: Transport | None = None
) -> Any:
    """A client; retries are the caller's (see ``catalog.retry``) unless asked here.

    Built by botocore's session, which is what ``boto3.client`` does (the same client class,
    credential chain, profiles, region and endpoint settings), without importing boto3 and
    the S3 transfer manager it loads (a third of a second of every command's start).
    """
    from botocore.config import Config
    from botocore.session import Session

    from pmp_reconcile.catalog.service_models import shared_loader

    config = Config(
        retries={"mode": "standard", "total_max_attempts": options.max_attempts},
        max_pool_connections=options.max_pool_connections,
        connect_timeout=10,
        read_timeout=60,
        user_agent_extra="pmp-reconcile",
    )
    key_id, secret = options.credentials or (None, None)
    try:
        session = Session(**_session_args(options))
        session.register_component(
            "data_loader", shared_loader(session.get_config_variable("data_path"))
        )
        session.get_scoped_config()  # an unknown profile is refused here, as boto3 does
        client = session.create_client(
            service,
            region_name=options.region,
            endpoint_url=options.endpoint_url,
            config=config,
            aws_access_key_id=key_id,
            aws_secret_access_key=secret,
        )
    except ProfileNotFound as error:
        raise UsageError(str(error), hint="check --profile / AWS_PROFILE") from error
    if transport is not None:
        transport(client)
    return client


#: botocore's session variable ``profile`` read from nowhere (not even ``AWS_PROFILE``).
_NO_PROFILE = {"profile": (None, None, None, None)}


def _session_args(options: ConnectionOptions) -> dict[str, Any]:
    """Given credentials (the sandbox's) need no profile: AWS_PROFILE naming one this machine
    does not have must not stop a ``--sandbox`` command."""
    if options.credentials is not None:
        return {"session_vars": _NO_PROFILE}
    return {"profile": options.profile}


_BY_CODE: dict[str, type[AwsError]] = {
    "ThrottlingException": AwsThrottled,
    "TooManyRequestsException": AwsThrottled,
    "ResourceNotFoundException": AwsNotFound,
    "ResourceInUseException": AwsResourceInUse,
    "ValidationException": AwsValidationError,
    "AccessDeniedException": AwsAccessDenied,
    "ServiceQuotaExceededException": AwsQuotaExceeded,
    "InternalServiceException": AwsServiceError,
}
_HINTS: dict[type[AwsError], str] = {
    AwsAccessDenied: "the role needs the policy from `pmp-reconcile iam-policy`",
    AwsThrottled: "the request rate is over the account's quota; retry later",
    AwsResourceInUse: "another change set is open on the same experience; wait for it",
    AwsQuotaExceeded: "too many change sets are open in the account (quota 250)",
}


def translate(error: Exception, operation: str) -> AwsError:
    """Our error for a botocore failure; non-botocore exceptions are not expected here."""
    if isinstance(error, ClientError):
        return _from_client_error(error, operation)
    if isinstance(error, NoCredentialsError):
        hint = "configure AWS credentials (profile, environment or role), or use --sandbox"
        return AwsCredentialsError(
            f"{operation}: no AWS credentials", operation=operation, hint=hint
        )
    if isinstance(error, NoRegionError | EndpointConnectionError):
        return AwsServiceError(
            f"{operation}: {error}", operation=operation, hint="check --endpoint-url"
        )
    return AwsServiceError(f"{operation}: {error}", operation=operation)


def _from_client_error(error: ClientError, operation: str) -> AwsError:
    details = error.response.get("Error", {})
    code = str(details.get("Code", "Unknown"))
    message = str(details.get("Message", "")) or code
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
    kind = _BY_CODE.get(code, AwsServiceError if status >= 500 else AwsError)
    response: dict[str, Any] = dict(error.response)
    fields: list[Any] = list(response.get("ValidationExceptionFieldList") or [])
    if fields:
        message += "; " + "; ".join(_field_text(f) for f in fields)
    return kind(
        f"{operation} failed: {code}: {message}",
        operation=operation,
        aws_code=code,
        hint=_HINTS.get(kind),
    )


def _field_text(field: Any) -> str:
    where = field.get("Field") or field.get("ChangeType") or ""
    return f"{where}: {field.get('Message', '')}".strip(": ")


@contextmanager
def aws_call(operation: str) -> Iterator[None]:
    """Run one AWS call; botocore errors leave as our own family."""
    try:
        yield
    except (ClientError, BotoCoreError) as error:
        raise translate(error, operation) from error
