"""The Discovery API's modelled errors, which differ from the Catalog API's in code and status.

Discovery answers a bad request with a 400 ``ValidationException`` carrying a ``reason``
(the Catalog API uses 422 and a field list) and a fault with ``InternalServerException`` (the
Catalog API says ``InternalServiceException``). :func:`as_discovery` rewrites an error raised
by shared machinery (the fault injector) into the Discovery family.
"""

from __future__ import annotations

from typing import ClassVar

from pmp_reconcile.sandbox.errors import ServiceError

INVALID_PAGINATION_TOKEN = "INVALID_PAGINATION_TOKEN"
MALFORMED_REQUEST_PARAMETERS = "MALFORMED_REQUEST_PARAMETERS"
PAGINATION_LIMIT_EXCEEDED = "PAGINATION_LIMIT_EXCEEDED"


class DiscoveryValidationException(ServiceError):
    """400 with the ``reason`` botocore reads into ``error.response["reason"]``."""

    code: ClassVar[str] = "ValidationException"
    status: ClassVar[int] = 400

    def __init__(self, message: str, reason: str = MALFORMED_REQUEST_PARAMETERS) -> None:
        super().__init__(message)
        self.extra = {"reason": reason}


class InternalServerException(ServiceError):
    code: ClassVar[str] = "InternalServerException"
    status: ClassVar[int] = 500


def as_discovery(error: ServiceError) -> ServiceError:
    """The error a Discovery operation answers with where a Catalog-shaped one was raised."""
    if isinstance(error, DiscoveryValidationException | InternalServerException):
        return error
    if error.code == "InternalServiceException":
        return InternalServerException(error.message)
    if error.code == "ValidationException":
        return DiscoveryValidationException(error.message)
    return error
