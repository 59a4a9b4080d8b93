"""products.yaml aliases derived from product names (pure: views use it)."""

from __future__ import annotations

import re

_NOT_ALIAS = re.compile(r"[^a-z0-9]+")


def alias_for(name: str) -> str:
    """A products.yaml alias from a product name: "Datadog Pro" → ``datadog-pro``."""
    alias = _NOT_ALIAS.sub("-", name.lower()).strip("-")
    return alias or "product"
