"""Where each product of a long list is written, without a :class:`Location` per product.

A tree can list millions of product ids, and a plan names the place of only the few it warns
about: the places are kept as the list's arrays of lines and columns (the ones the YAML reader
made), and a :class:`Location` is made when one is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType

from pmp_reconcile.errors import Location


class ListPlaces(Mapping[str, Location]):
    """Product id → where it is written, for the distinct ids of one list, in list order."""

    __slots__ = ("_columns", "_file", "_ids", "_index", "_lines")

    def __init__(
        self, file: str, ids: Sequence[str], lines: Sequence[int], columns: Sequence[int]
    ) -> None:
        if not len(ids) == len(lines) == len(columns):
            raise ValueError("one line and one column per id")
        self._file, self._ids, self._lines, self._columns = file, ids, lines, columns
        self._index: dict[str, int] | None = None  # made on the first look-up

    def __getitem__(self, product: str) -> Location:
        at = self._positions()[product]
        return Location(self._file, self._lines[at], self._columns[at])

    def __contains__(self, product: object) -> bool:
        return product in self._positions()

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def _positions(self) -> dict[str, int]:
        if self._index is None:
            self._index = dict(zip(self._ids, range(len(self._ids)), strict=True))
        return self._index


def joined(
    allowed: Mapping[str, Location], denied: Mapping[str, Location]
) -> Mapping[str, Location]:
    """The places of both lists (a product in both: where it is denied), read-only."""
    if denied:
        return _Joined(allowed, denied)
    return allowed if isinstance(allowed, ListPlaces) else MappingProxyType(dict(allowed))


class _Joined(Mapping[str, Location]):
    """Two lists' places as one, as ``{**allowed, **denied}`` would be, without the copy."""

    __slots__ = ("_allowed", "_denied")

    def __init__(self, allowed: Mapping[str, Location], denied: Mapping[str, Location]) -> None:
        self._allowed, self._denied = allowed, denied

    def __getitem__(self, product: str) -> Location:
        return self._denied[product] if product in self._denied else self._allowed[product]

    def __iter__(self) -> Iterator[str]:
        yield from self._allowed
        yield from (p for p in self._denied if p not in self._allowed)

    def __len__(self) -> int:
        return sum(1 for _ in self)
