"""Workflows the CLI calls, one module per user-level job; the layers meet here.

Each function is one step a user asks for, so the CLI stays an adapter and tests can drive the
same steps without click.
"""

from __future__ import annotations

from pmp_reconcile.workflows.reconcile import (
    SANDBOX_CREDENTIALS,
    ApplyRequest,
    PlanOptions,
    Target,
    apply_changes,
    change_set_tags,
    connect,
    load_plan,
    plan_directory,
    read_live,
    read_settled,
    save_document,
    save_plan,
)

__all__ = [
    "SANDBOX_CREDENTIALS",
    "ApplyRequest",
    "PlanOptions",
    "Target",
    "apply_changes",
    "change_set_tags",
    "connect",
    "load_plan",
    "plan_directory",
    "read_live",
    "read_settled",
    "save_document",
    "save_plan",
]
