"""ClientRequestTokens: a retried start never creates a second change set.

A token is fixed for one change set within one apply run, so a start retried after a timeout
finds the change set it already made. Each run adds its own nonce: after a failure the live
state (and so the plan) can be unchanged, and reusing the old token would only hand back the
failed change set instead of trying again.
"""

from __future__ import annotations

import hashlib

TOKEN_LENGTH = 64  # the API's maximum; sha256 hex is exactly that


def client_request_token(
    plan_digest: str, change_set_name: str, attempt: int = 1, run_nonce: str = ""
) -> str:
    """The same run, plan and change set give the same token; a deliberate re-try (attempt >
    1, after a SERVER_FAULT) or another run gets a new one."""
    seed = f"{plan_digest}\n{change_set_name}\n{attempt}\n{run_nonce}"
    return hashlib.sha256(seed.encode()).hexdigest()[:TOKEN_LENGTH]
