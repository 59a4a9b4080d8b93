"""Deterministic ClientRequestTokens: a retried start never creates a second change set."""

from __future__ import annotations

import hashlib

TOKEN_LENGTH = 64  # the API's maximum; sha256 hex is exactly that


def client_request_token(plan_digest: str, change_set_name: str, attempt: int = 1) -> str:
    """The same plan and change set give the same token; a deliberate re-run (attempt > 1,
    after a SERVER_FAULT) gets a new one, since the old token names the failed change set."""
    seed = f"{plan_digest}\n{change_set_name}\n{attempt}"
    return hashlib.sha256(seed.encode()).hexdigest()[:TOKEN_LENGTH]
