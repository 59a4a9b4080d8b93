"""botocore failures become our own error family at the catalog seam."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

from pmp_reconcile.catalog.client import aws_call, translate
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
)


def client_error(code: str, status: int, message: str = "msg", **extra: object) -> ClientError:
    response = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    response.update(extra)
    return ClientError(response, "StartChangeSet")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [
        ("ThrottlingException", 429, AwsThrottled),
        ("ResourceNotFoundException", 404, AwsNotFound),
        ("ResourceInUseException", 423, AwsResourceInUse),
        ("ValidationException", 422, AwsValidationError),
        ("AccessDeniedException", 403, AwsAccessDenied),
        ("ServiceQuotaExceededException", 402, AwsQuotaExceeded),
        ("InternalServiceException", 500, AwsServiceError),
        ("SomethingNew", 503, AwsServiceError),
        ("SomethingNew", 400, AwsError),
    ],
)
def test_codes_map_to_kinds(code: str, status: int, kind: type[AwsError]) -> None:
    error = translate(client_error(code, status), "StartChangeSet")
    assert type(error) is kind
    assert error.aws_code == code
    assert error.operation == "StartChangeSet"
    assert code in error.message


def test_validation_field_list_is_part_of_the_message() -> None:
    fields = [{"Field": "Details.Products[0].Ids", "Message": "Values in Ids array must be unique"}]
    error = translate(
        client_error("ValidationException", 422, "invalid", ValidationExceptionFieldList=fields),
        "StartChangeSet",
    )
    assert "Details.Products[0].Ids: Values in Ids array must be unique" in error.message


def test_missing_credentials_hint_at_the_sandbox() -> None:
    error = translate(NoCredentialsError(), "ListEntities")
    assert isinstance(error, AwsCredentialsError)
    assert error.hint is not None
    assert "--sandbox" in error.hint


def test_aws_call_translates_inside_the_block() -> None:
    with pytest.raises(AwsServiceError, match="Could not connect"), aws_call("ListEntities"):
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
