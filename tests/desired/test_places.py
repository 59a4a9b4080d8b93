"""Where each product is written: long lists keep their places compactly, and say the same.

``product_sources`` of a long plain list is a :class:`ListPlaces` over the YAML reader's arrays
of lines and columns; it must answer exactly as a mapping of one Location per product would.
"""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from pmp_reconcile.desired.loader import load_desired_state
from pmp_reconcile.desired.places import ListPlaces, joined
from pmp_reconcile.errors import Location

IDS = [f"prod-places{n:04d}" for n in range(40)]


def test_list_places_answer_as_a_mapping_of_locations() -> None:
    places = ListPlaces("f.yaml", IDS[:3], array("L", [4, 5, 7]), array("L", [5, 5, 9]))
    expected = {
        IDS[0]: Location("f.yaml", 4, 5),
        IDS[1]: Location("f.yaml", 5, 5),
        IDS[2]: Location("f.yaml", 7, 9),
    }
    assert places == expected
    assert list(places) == IDS[:3]
    assert len(places) == 3
    assert IDS[2] in places
    assert IDS[3] not in places
    assert places.get(IDS[3]) is None
    with pytest.raises(KeyError):
        places[IDS[3]]


def test_list_places_refuse_arrays_of_another_length() -> None:
    with pytest.raises(ValueError, match="one line and one column per id"):
        ListPlaces("f.yaml", IDS[:2], array("L", [1]), array("L", [1, 1]))


def test_joined_places_are_both_lists_as_one() -> None:
    allowed = ListPlaces("f.yaml", IDS[:2], array("L", [3, 4]), array("L", [5, 5]))
    denied = {IDS[2]: Location("f.yaml", 9, 5)}
    assert joined(allowed, {}) is allowed
    assert joined({}, {}) == {}
    both = joined(allowed, denied)
    assert both == {**allowed, **denied}
    assert list(both) == IDS[:3]
    assert len(both) == 3


def test_a_long_list_is_placed_line_by_line(tmp_path: Path) -> None:
    folder = tmp_path / "tree" / "experiences"
    folder.mkdir(parents=True)
    allow = "".join(f"    - {product}\n" for product in IDS[:30])
    deny = "".join(f"    -   {product}\n" for product in IDS[30:])
    text = f"name: Places\nproducts:\n  allow:\n{allow}  deny:\n{deny}"
    (folder / "places.yaml").write_text(text, encoding="utf-8")
    (experience,) = load_desired_state(tmp_path / "tree").experiences
    file = str(folder / "places.yaml")
    lines = text.splitlines()
    expected = {
        product: Location(file, lines.index(line) + 1, line.index(product) + 1)
        for line in lines
        for product in IDS
        if line.endswith(f" {product}")
    }
    assert dict(experience.product_sources) == expected
    assert experience.allowed == frozenset(IDS[:30])
    assert experience.denied == frozenset(IDS[30:])
