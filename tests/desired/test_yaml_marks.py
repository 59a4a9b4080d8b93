"""The YAML reader keeps where every key and value was written and refuses what PyYAML hides."""

from __future__ import annotations

import pytest

from pmp_reconcile.desired.yaml_marks import Position, YamlSyntaxError, parse_yaml

TEXT = """\
# comment
name: A
principals:
  - '111111111111'
  - ou-ab12-cdefgh12
branding: {title: T}
status: on
"""


def test_values_keys_and_items_keep_their_line_and_column() -> None:
    parsed = parse_yaml(TEXT)
    assert parsed is not None
    assert parsed.position(("name",)) == Position(2, 7)
    assert parsed.key_position(("name",)) == Position(2, 1)
    assert parsed.position(("principals", 1)) == Position(5, 5)
    assert parsed.position(("branding", "title")) == Position(6, 19)
    assert parsed.position(()) == Position(2, 1)


def test_a_missing_path_points_at_its_nearest_parent() -> None:
    parsed = parse_yaml(TEXT)
    assert parsed is not None
    assert parsed.position(("branding", "logo_url")) == parsed.position(("branding",))


def test_values_are_plain_and_the_written_text_is_kept() -> None:
    parsed = parse_yaml(TEXT)
    assert parsed is not None
    assert parsed.value["status"] is True
    assert parsed.source_text[("status",)] == "on"


def test_a_duplicate_key_is_recorded_at_both_places_and_the_first_kept() -> None:
    parsed = parse_yaml("name: A\nstatus: enabled\nname: B\n")
    assert parsed is not None
    assert parsed.value["name"] == "A"
    assert parsed.duplicates == [("name", Position(3, 1), Position(1, 1))]


def test_keys_without_values_are_recorded_as_empty() -> None:
    parsed = parse_yaml("name:\nbranding:\n  theme_color: #0A66C2\nprincipals:\n  -\n")
    assert parsed is not None
    assert parsed.nulls == [("name",), ("branding", "theme_color"), ("principals", 0)]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_nothing_in_a_document_is_none(text: str) -> None:
    assert parse_yaml(text) is None


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: [1\n", 2),
        ("a: 1\n b: 2\n", 2),
        ("a: 1\n---\nb: 2\n", 2),
        ("a: &x [*x]\n", 1),
        ("a: !custom 1\n", 1),
        ("a: !!int twelve\n", 1),
    ],
)
def test_what_cannot_be_read_is_a_positioned_syntax_error(text: str, line: int) -> None:
    with pytest.raises(YamlSyntaxError) as raised:
        parse_yaml(text)
    assert raised.value.position.line == line
