"""One exception family for everything pmp-reconcile reports to a user.

Every error carries a stable code, a message, an optional source location, an optional hint and
the process exit code. The CLI is the single place that turns them into output; nothing else
prints errors or calls ``sys.exit``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any


class ExitCode(IntEnum):
    """Process exit codes of the CLI contract."""

    OK = 0
    ERROR = 1
    CHANGES = 2


@dataclass(frozen=True, order=True, slots=True)  # one per product id: keep it small
class Location:
    """A place in a user's file; line and column are 1-based (0 = unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        if not self.column:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem found in the desired-state tree (validation reports many at once)."""

    code: str
    message: str
    location: Location
    hint: str | None = None
    severity: Severity = Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.file, self.location.line, self.location.column, self.code)


class PmpError(Exception):
    """Base of every error a user may see. Subclasses set ``code`` and ``exit_code``."""

    code: str = "PMP000"
    exit_code: ExitCode = ExitCode.ERROR
    #: Lines shown under the message (what exactly went wrong), before the hint.
    details: tuple[str, ...] = ()

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        hint: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        return f"{prefix}{self.message}"


class UsageError(PmpError):
    """The command line or the environment is not usable as given."""

    code = "PMP001"


class InputError(PmpError):
    """A file the user gave cannot be read or is not what it should be."""

    code = "PMP002"


class ValidationFailed(PmpError):
    """The desired-state tree has problems; ``findings`` holds all of them, sorted."""

    code = "PMP100"

    def __init__(self, findings: Iterable[Finding]) -> None:
        ordered = sorted(findings, key=Finding.sort_key)
        errors = [f for f in ordered if f.severity is Severity.ERROR]
        super().__init__(f"the desired state has {len(errors)} error(s)")
        self.findings: Sequence[Finding] = tuple(ordered)


class MatchError(PmpError):
    """Desired and live experiences cannot be paired unambiguously."""

    code = "PMP200"


class OrganizationMismatch(PmpError):
    """The credentials reach another organization than ``pmp.yaml`` names."""

    code = "PMP201"


class StalePlanError(PmpError):
    """A saved plan no longer matches the live marketplace. ``details`` say what moved, one
    line each; ``document`` says it as data (``apply --output json``)."""

    code = "PMP300"

    def __init__(
        self,
        message: str,
        *,
        details: Sequence[str] = (),
        document: Mapping[str, Any] | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.details = tuple(details)
        self.document = dict(document or {})


class GuardrailError(PmpError):
    """The plan crosses a guardrail from ``pmp.yaml``."""

    code = "PMP301"


class ProductCheckError(PmpError):
    """``product_checks: error`` and a product Discovery does not know or that is closed."""

    code = "PMP302"


class ApplyAborted(PmpError):
    """A second interrupt stopped apply without waiting for the change sets still running.

    Their threads are left behind on purpose: the process must end without joining them.
    """

    code = "PMP303"
    abandons_threads = True


class AwsError(PmpError):
    """An AWS API call failed; the subclass says how (translated at the catalog/org seam)."""

    code = "PMP500"

    def __init__(
        self,
        message: str,
        *,
        operation: str = "",
        aws_code: str = "",
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.operation = operation
        self.aws_code = aws_code


class AwsThrottled(AwsError):
    code = "PMP501"


class AwsNotFound(AwsError):
    code = "PMP502"


class AwsResourceInUse(AwsError):
    code = "PMP503"


class AwsValidationError(AwsError):
    code = "PMP504"


class AwsAccessDenied(AwsError):
    code = "PMP505"


class AwsQuotaExceeded(AwsError):
    code = "PMP506"


class AwsServiceError(AwsError):
    """A 5xx or an unexpected failure of the service (retryable)."""

    code = "PMP507"


class AwsCredentialsError(AwsError):
    code = "PMP508"
