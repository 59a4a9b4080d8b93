"""What Discovery said of each product, kept on disk with the day it was read.

Plans run again and again on the same tree; at 5 GetProduct calls a second, a 300-product tree
would spend a minute on names every time. Entries are kept per source (AWS, an endpoint, the
sandbox), so a sandbox's names never show up in a plan against AWS, and are read again after
``max_age`` days (a product's availability changes). A cache that cannot be read is ignored
and one that cannot be written is skipped: it only ever saves calls, it never fails a plan.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from pmp_reconcile.model import ProductInfo

CACHE_FORMAT = "pmp-products-cache/1"
CACHE_FILE = "products.json"
MAX_AGE = timedelta(days=7)
_log = logging.getLogger(__name__)
_T = TypeVar("_T")


def _today() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class CacheEntry:
    """One product as read on ``read_on``; ``info`` None: Discovery did not know the id."""

    info: ProductInfo | None
    read_on: date

    def to_json(self) -> dict[str, Any]:
        if self.info is None:
            return {"unknown": True, "read_on": self.read_on.isoformat()}
        info = self.info
        return {
            "name": info.name,
            "publisher": info.publisher,
            "available": info.available,
            "read_on": self.read_on.isoformat(),
        }

    @classmethod
    def from_json(cls, product_id: str, data: Any) -> CacheEntry | None:
        """The entry, or None for anything malformed (it is read again instead)."""
        try:
            read_on = date.fromisoformat(data["read_on"])
            if data.get("unknown") is True:
                return cls(None, read_on)
            info = ProductInfo(
                id=product_id,
                name=_typed(data["name"], str),
                publisher=_typed(data["publisher"], str),
                available=_typed(data["available"], bool),
            )
        except (KeyError, TypeError, ValueError):
            return None
        return cls(info, read_on)


def _typed(value: object, kind: type[_T]) -> _T:
    """``value`` when it is a ``kind``; a file edited by hand may hold anything."""
    if not isinstance(value, kind):
        raise TypeError(f"{value!r} is not a {kind.__name__}")
    return value


@dataclass
class ProductCache:
    """The entries of one source in ``path``; :meth:`save` writes them back."""

    path: Path
    source: str
    today: Callable[[], date] = _today
    max_age: timedelta = MAX_AGE
    _entries: dict[str, CacheEntry] = field(default_factory=dict, init=False)
    _others: dict[str, Any] = field(default_factory=dict, init=False)
    _dirty: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        sources = _read(self.path)
        mine = sources.pop(self.source, {})
        self._others = sources
        if isinstance(mine, dict):
            for product_id, data in mine.items():
                entry = CacheEntry.from_json(str(product_id), data)
                if entry is not None:
                    self._entries[str(product_id)] = entry

    def get(self, product_id: str) -> CacheEntry | None:
        """The entry if it is fresh enough, else None."""
        entry = self._entries.get(product_id)
        if entry is None or self.today() - entry.read_on > self.max_age:
            return None
        return entry

    def put(self, product_id: str, info: ProductInfo | None) -> None:
        self._entries[product_id] = CacheEntry(info, self.today())
        self._dirty = True

    def save(self) -> None:
        """Write the file if anything was added (skipped quietly when it cannot be)."""
        if not self._dirty:
            return
        mine = {i: e.to_json() for i, e in sorted(self._entries.items())}
        document = {"format": CACHE_FORMAT, "sources": {**self._others, self.source: mine}}
        try:
            _write(self.path, document)
        except OSError as problem:
            _log.debug("product cache %s not written: %s", self.path, problem)
            return
        self._dirty = False


def _read(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("format") != CACHE_FORMAT:
        return {}
    sources = document.get("sources")
    return dict(sources) if isinstance(sources, dict) else {}


def _write(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=1, sort_keys=True)
            out.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
