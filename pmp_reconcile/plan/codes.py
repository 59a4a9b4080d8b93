"""Every code a plan can report, in one table (docs/plan-format.md explains each).

A code's severity comes from its prefix: ``G`` a guardrail crossing (``error``: apply refuses
the plan without ``--allow-destructive``), ``W`` a ``warning``; a code says so only when it is
merely informative. Like :mod:`pmp_reconcile.desired.codes`, this module imports nothing of
ours, so every layer can name a code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


PREFIX_SEVERITY = {"G": Severity.ERROR, "W": Severity.WARNING}


@dataclass(frozen=True)
class PlanCode:
    """One code: its name in plans and its one-line meaning."""

    code: str
    meaning: str
    informative: bool = False

    @property
    def severity(self) -> Severity:
        return Severity.INFO if self.informative else PREFIX_SEVERITY[self.code[0]]


UNMANAGED = PlanCode("W101", "a live experience has no file (`unmanaged_experiences: warn`)")
NO_POLICY = PlanCode("W102", "a managed live experience has no procurement policy")
ARCHIVED_DIFFERS = PlanCode(
    "W103",
    "an archived experience differs from its file; nothing but archiving is applied",
    informative=True,
)
UNMANAGED_WITHOUT_POLICY = PlanCode(
    "W104", "an unmanaged experience has principals but no procurement policy"
)
NOTES_NOT_SENT = PlanCode(
    "W105",
    "a product's note in the file differs from live; notes are sent only with a decision",
    informative=True,
)
ORGANIZATION_DISABLED = PlanCode(
    "W201", "the experience associated with the organization is being disabled"
)
OPEN_CHANGE_SET = PlanCode("W301", "a change set is still open on an entity the plan touches")
LONG_CHAIN = PlanCode("W302", "an experience needs 20 or more change sets in a row: a long apply")
PRODUCTS_UNCHECKED = PlanCode(
    "W400",
    "the Discovery API could not be asked (no permission): no product names or checks",
    informative=True,
)
UNKNOWN_PRODUCT = PlanCode(
    "W401",
    "the Discovery API does not know a product id of the tree (`product_checks: error` fails)",
)
NOT_SUBSCRIBABLE = PlanCode(
    "W402",
    "an allowed product is closed to new subscriptions (`product_checks: error` fails)",
)
BAD_LOGO = PlanCode(
    "W501",
    "a logo URL AWS cannot copy (unreachable, not png or svg, or over 500 KB): "
    "the branding change set would fail",
)
LOGO_UNCHECKED = PlanCode(
    "W502", "a logo URL did not answer in time, so it was not checked", informative=True
)
PRODUCT_REMOVALS = PlanCode(
    "G001", "more products lose their approval than `guardrails.max_product_removals`"
)
PRINCIPAL_REMOVALS = PlanCode(
    "G002", "more principals are disassociated than `guardrails.max_principal_removals`"
)
PROTECTED = PlanCode(
    "G003", "a `guardrails.protected` experience would be disabled, archived or lose principals"
)

ALL: tuple[PlanCode, ...] = tuple(v for v in tuple(globals().values()) if isinstance(v, PlanCode))
