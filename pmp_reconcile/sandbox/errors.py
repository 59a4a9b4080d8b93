"""The Catalog API's modelled errors: code, HTTP status and message, as botocore expects them.

The state model raises these; the protocol writes them as ``x-amzn-ErrorType`` plus a
``Message`` body, which boto3 turns into the client's modelled exception classes.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ServiceError(Exception):
    """Base of every error the sandbox answers with; subclasses fix ``code`` and ``status``."""

    code: ClassVar[str] = "InternalServiceException"
    status: ClassVar[int] = 500

    def __init__(self, message: str, fields: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields
        #: More members of the error body (Discovery's ``reason``).
        self.extra: dict[str, Any] = {}


class AccessDeniedException(ServiceError):
    code = "AccessDeniedException"
    status = 403


class InternalServiceException(ServiceError):
    code = "InternalServiceException"
    status = 500


class ResourceInUseException(ServiceError):
    code = "ResourceInUseException"
    status = 423


class ResourceNotFoundException(ServiceError):
    code = "ResourceNotFoundException"
    status = 404


class ResourceNotSupportedException(ServiceError):
    code = "ResourceNotSupportedException"
    status = 415


class ServiceQuotaExceededException(ServiceError):
    code = "ServiceQuotaExceededException"
    status = 402


class ThrottlingException(ServiceError):
    code = "ThrottlingException"
    status = 429


class ValidationException(ServiceError):
    """422; ``fields`` is the optional ``ValidationExceptionFieldList``."""

    code = "ValidationException"
    status = 422


def field_error(
    field: str,
    message: str,
    reason: str = "FieldValidationFailed",
    **context: str,
) -> dict[str, Any]:
    """One ``ValidationExceptionFieldList`` entry (``context``: EntityType, ChangeType…)."""
    return {"Reason": reason, "Field": field, "Message": message, **context}
