"""The writer on its own: file stems, scalars, and what cannot be written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pmp_reconcile.desired.loader import load_with_findings
from pmp_reconcile.desired.writer import (
    experience_files,
    experience_text,
    scalar,
    slugify,
    unique_keys,
    unrepresentable,
)
from pmp_reconcile.errors import InputError, Severity
from pmp_reconcile.model import Experience, MarketplaceState
from pmp_reconcile.workflows import Target
from pmp_reconcile.workflows.importing import ImportRequest, import_marketplace

from rig import Rig

KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Finance Unit Experience", "finance-unit-experience"),
        ("Data_Science", "data_science"),
        ("  Two  spaces ", "two-spaces"),
        ("-_ leading", "leading"),
        ("a - b", "a-b"),
        ("___", "experience"),
        ("x" * 50 + " tail", "x" * 50 + "-tail"),
        ("Ünïcode ß", "n-code"),
    ],
)
def test_slugify(name: str, stem: str) -> None:
    assert slugify(name) == stem


def test_clashing_names_get_numbered_suffixes_within_64() -> None:
    long = "y" * 64
    names = ["Data Science", "data science", "data-science", "Data-Science-2", long, long + "Z"]
    keys = unique_keys(names)
    assert keys == [
        "data-science",
        "data-science-2",
        "data-science-3",
        "data-science-2-2",
        long,
        "y" * 62 + "-2",
    ]
    assert all(KEY.match(k) for k in keys)


def test_stems_taken_by_other_files_are_avoided() -> None:
    assert unique_keys(["Finance"], taken=["finance"]) == ["finance-2"]


@given(st.text(max_size=80))
def test_any_name_gives_a_valid_stem(name: str) -> None:
    assert KEY.match(slugify(name))


@given(st.text(min_size=1, max_size=200))
def test_scalars_read_back_as_the_same_string(text: str) -> None:
    written = scalar(text)
    assert yaml.safe_load(f"key: {written}\n") == {"key": text}
    assert "\n" not in written


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Finance", "Finance"),
        ("123456789012", '"123456789012"'),
        ("true", '"true"'),
        ("#0A66C2", '"#0A66C2"'),
        ("a: b", '"a: b"'),
        ("ask #it", '"ask #it"'),
        ("https://example.com/a.png", "https://example.com/a.png"),
        ("- item", '"- item"'),
        ("null", '"null"'),
        # the resolver reads these as numbers or dates, which then fail to construct
        ("0x_", '"0x_"'),
        ("0b_", '"0b_"'),
        ("2024-13-45", '"2024-13-45"'),
        ("1_000", '"1_000"'),
    ],
)
def test_scalar_is_plain_only_when_safe(text: str, written: str) -> None:
    assert scalar(text) == written


def test_an_experience_without_anything_optional() -> None:
    text = experience_text(Experience(name="Bare", id="exp-1", software_requests=None))
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../desired-state.schema.json"
    assert lines[-7:] == [
        "id: exp-1",
        "status: disabled",
        "archived: false",
        "software_requests: allow",
        "principals: []",
        "products:",
        "  allow: []",
    ]
    assert "no procurement policy" in text


def _seeded(experiences: list[dict[str, object]]) -> Rig:
    rig = Rig()
    rig.marketplace.seed({"experiences": experiences})
    return rig


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ([{"name": "Twin"}, {"name": "Twin"}], "2 live experiences are named 'Twin'"),
    ],
)
def test_what_the_format_cannot_hold_stops_the_import_before_writing(
    tmp_path: Path, seed: list[dict[str, object]], message: str
) -> None:
    rig = _seeded(seed)
    target = Target(api_for=lambda caller: rig.api)
    with pytest.raises(InputError, match=re.escape(message)):
        import_marketplace(ImportRequest(out=tmp_path / "tree"), target)
    assert not (tmp_path / "tree").exists()


def test_an_id_of_no_documented_shape_is_imported_with_a_warning(tmp_path: Path) -> None:
    rig = _seeded([{"name": "Odd", "procurement_policy": {"allow": ["not-a-product-id"]}}])
    import_marketplace(ImportRequest(out=tmp_path / "tree"), Target(api_for=lambda c: rig.api))
    state, findings = load_with_findings(tmp_path / "tree")
    assert [(f.code, f.severity) for f in findings] == [("D043", Severity.WARNING)]
    assert state is not None
    assert [e.allowed for e in state.experiences if e.name == "Odd"] == [{"not-a-product-id"}]


def test_no_id_the_catalog_api_takes_is_refused_by_the_writer() -> None:
    odd = Experience(name="Odd", allowed=frozenset({"x" * 50, "a.b_c", "UPPER-1"}))
    assert unrepresentable([odd]) == []


def test_only_can_leave_a_twin_out(tmp_path: Path) -> None:
    rig = _seeded([{"name": "Twin"}, {"name": "Twin"}])
    first = rig.live().experiences[0].id
    assert first is not None
    target = Target(api_for=lambda caller: rig.api)
    result = import_marketplace(ImportRequest(out=tmp_path / "tree", only=(first,)), target)
    assert [w.path.name for w in result.experiences] == ["twin.yaml"]


def test_the_writer_is_deterministic() -> None:
    experiences = tuple(
        Experience(name=n, id=f"exp-{i}", principals=frozenset({"222222222222", "o-abcdef1234"}))
        for i, n in enumerate(["b", "a", "A"])
    )
    one = experience_files(MarketplaceState(experiences=experiences))
    two = experience_files(MarketplaceState(experiences=tuple(reversed(experiences))))
    assert [(f.path, f.text) for f in one] == [(f.path, f.text) for f in two]
    assert [f.path for f in one] == [
        "experiences/a.yaml",
        "experiences/a-2.yaml",
        "experiences/b.yaml",
    ]


def _load_text(tmp_path: Path, text: str) -> Experience:
    (tmp_path / "experiences").mkdir(exist_ok=True)
    (tmp_path / "experiences" / "e.yaml").write_text(text, encoding="utf-8")
    state, findings = load_with_findings(tmp_path)
    assert state is not None, findings
    return state.experiences[0]


def test_names_are_written_as_comments_after_each_product(tmp_path: Path) -> None:
    experience = Experience(
        name="Named",
        allowed=frozenset({"prod-aaa", "prod-bbb"}),
        denied=frozenset({"prod-ccc"}),
        notes={"prod-bbb": "SR-1"},
    )
    names = {"prod-aaa": "Datadog Pro", "prod-bbb": "Splunk # Enterprise", "prod-ccc": "Old\nTool"}
    text = experience_text(experience, {"prod-aaa": "datadog"}, names)
    assert "    - datadog  # Datadog Pro\n" in text
    assert "    - id: prod-bbb  # Splunk # Enterprise\n      notes: SR-1\n" in text
    assert "  deny:\n    - prod-ccc  # Old Tool\n" in text
    loaded = _load_text(tmp_path, text.replace("datadog", "prod-aaa", 1))
    assert (loaded.allowed, loaded.denied) == (experience.allowed, experience.denied)
    assert dict(loaded.notes) == {"prod-bbb": "SR-1"}


@given(st.text(max_size=60), st.sampled_from(["prod-aaa", "1234567", "null", "a: b"]))
def test_any_name_comment_leaves_the_product_as_it_was(name: str, note: str) -> None:
    experience = Experience(
        name="Named", allowed=frozenset({"prod-aaa", "prod-bbb"}), notes={"prod-bbb": note}
    )
    text = experience_text(experience, {}, {"prod-aaa": name, "prod-bbb": name})
    products = yaml.safe_load(text)["products"]["allow"]
    assert products == ["prod-aaa", {"id": "prod-bbb", "notes": note}]
