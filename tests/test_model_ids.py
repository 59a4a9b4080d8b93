"""The model's id sets: a frozenset is taken as it is, anything else validated and made one.

The loader and the reader hand over frozensets of hundreds of thousands of ids they built;
checking each again cost as much as building them.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pmp_reconcile.model import Experience


def test_a_frozenset_of_ids_is_kept_as_given() -> None:
    ids = frozenset({"prod-a", "prod-b"})
    experience = Experience(name="x", allowed=ids, denied=ids, principals=ids)
    assert experience.allowed is ids
    assert experience.denied is ids
    assert experience.principals is ids


def test_other_collections_are_validated_into_frozensets() -> None:
    experience = Experience.model_validate({"name": "x", "allowed": ["prod-a", "prod-a"]})
    assert experience.allowed == frozenset({"prod-a"})
    assert type(experience.allowed) is frozenset


def test_a_collection_of_other_things_is_refused() -> None:
    with pytest.raises(ValidationError, match="allowed"):
        Experience.model_validate({"name": "x", "allowed": [1]})
