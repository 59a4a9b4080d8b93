"""The list operations' shared mechanics: filter lists, sort specs and page tokens.

A NextToken is opaque to clients but checked here: it carries the offset and a digest of the
query it belongs to, so a token that is garbage or from another query is a 422.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pmp_reconcile.sandbox.errors import ValidationException

T = TypeVar("T")
MAX_FILTERS = 8
MAX_VALUES = 10


def filters(params: dict[str, Any], allowed: Sequence[str]) -> dict[str, list[str]]:
    """``FilterList`` as name → values; unknown names and oversized lists are refused."""
    raw = params.get("FilterList") or []
    if not isinstance(raw, list) or len(raw) > MAX_FILTERS:
        raise ValidationException(f"FilterList must hold at most {MAX_FILTERS} filters")
    chosen: dict[str, list[str]] = {}
    for item in raw:
        name = item.get("Name") if isinstance(item, dict) else None
        values = item.get("ValueList") if isinstance(item, dict) else None
        if name not in allowed:
            raise ValidationException(
                f"Filter name {name} is not supported; use one of {', '.join(allowed)}"
            )
        if name in chosen:
            raise ValidationException(f"Filter {name} is given twice")
        if not isinstance(values, list) or not 1 <= len(values) <= MAX_VALUES:
            raise ValidationException(f"Filter {name} needs 1-{MAX_VALUES} values")
        chosen[str(name)] = [str(v) for v in values]
    return chosen


def sort_spec(params: dict[str, Any], allowed: Sequence[str], default: str) -> tuple[str, bool]:
    """(sort key, descending?) from ``Sort``; DESCENDING is the API's default order."""
    raw = params.get("Sort") or {}
    by = raw.get("SortBy", default)
    order = raw.get("SortOrder", "DESCENDING")
    if by not in allowed:
        raise ValidationException(f"SortBy must be one of {', '.join(allowed)}")
    if order not in ("ASCENDING", "DESCENDING"):
        raise ValidationException("SortOrder must be ASCENDING or DESCENDING")
    return str(by), order == "DESCENDING"


def ordered(items: list[T], key: Callable[[T], tuple[Any, ...]], descending: bool) -> list[T]:
    return sorted(items, key=key, reverse=descending)


def _digest(params: dict[str, Any]) -> str:
    query = {k: v for k, v in params.items() if k not in ("NextToken", "MaxResults")}
    return hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest()[:16]


def page(items: list[T], params: dict[str, Any], high: int) -> tuple[list[T], str | None]:
    """One page of ``items`` per ``MaxResults`` (1–``high``, default 20) and ``NextToken``."""
    size = params.get("MaxResults", 20)
    if not isinstance(size, int) or not 1 <= size <= high:
        raise ValidationException(f"MaxResults must be between 1 and {high}")
    offset = _offset(params.get("NextToken"), _digest(params))
    chunk = items[offset : offset + size]
    if offset + size >= len(items):
        return chunk, None
    token = json.dumps({"offset": offset + size, "query": _digest(params)})
    return chunk, base64.urlsafe_b64encode(token.encode()).decode()


def _offset(token: Any, digest: str) -> int:
    if token is None:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(str(token).encode()))
        offset = int(data["offset"])
        matches = data["query"] == digest
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        matches, offset = False, -1
    if not matches or offset < 0:
        raise ValidationException("The NextToken is not valid for this request")
    return offset
