"""The quick check never disagrees with the schema models: when it takes a file, the models
take it too and give the same value; when the models refuse one, the quick check does too.

Checked on every YAML file of the repository (trees, corpus, examples) as each kind of tree
file, and on generated documents made of valid and nearly valid members (wrong types, lengths
just outside their bounds, Unicode digits, control characters, unknown keys).
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pmp_reconcile.desired import quick_check, schema, spec
from pmp_reconcile.desired.quick_check import quick_value
from pmp_reconcile.desired.schema import SCHEMA_OF, plain
from pmp_reconcile.desired.yaml_marks import YamlSyntaxError, parse_yaml

ROOT = Path(__file__).resolve().parents[2]
KINDS = (spec.ExperienceFile, spec.ProductsFile, spec.SettingsFile)


def _yaml_files() -> list[Path]:
    places = ("tests", "desired_state", "examples", "docs")
    found = [p for place in places for p in (ROOT / place).rglob("*.y*ml")]
    return sorted(p for p in found if p.suffix in (".yaml", ".yml"))


def _agree(kind: type[Any], value: Any) -> Any:
    """Assert the two checks agree on ``value``; the quick value (or None)."""
    quick = quick_value(kind, value)
    try:
        checked = plain(SCHEMA_OF[kind].model_validate(value))
    except ValidationError:
        assert quick is None, f"the quick check took what the schema refuses: {value!r}"
        return None
    assert quick is None or quick == checked, (quick, checked)
    return quick


def _documents() -> list[tuple[str, Any]]:
    documents = []
    for path in _yaml_files():
        try:
            parsed = parse_yaml(path.read_text(encoding="utf-8"))
        except (YamlSyntaxError, UnicodeDecodeError):
            continue
        if parsed is not None and isinstance(parsed.value, dict):
            documents.append((str(path.relative_to(ROOT)), parsed.value))
    return documents


DOCUMENTS = _documents()


@pytest.fixture(autouse=True)
def _quick_check_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quick check is what these tests compare, even in a run that turns it off."""
    monkeypatch.setattr(quick_check, "ENABLED", True)


def test_the_corpus_is_large_enough_to_mean_something() -> None:
    assert len(DOCUMENTS) > 60


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
def test_both_checks_agree_on_every_file_of_the_repository(kind: type[Any]) -> None:
    taken = [name for name, value in DOCUMENTS if _agree(kind, value) is not None]
    assert taken  # each kind has files the quick check takes (it is not always unsure)


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("desired_state/experiences/finance.yaml", spec.ExperienceFile),
        ("desired_state/products.yaml", spec.ProductsFile),
        ("desired_state/pmp.yaml", spec.SettingsFile),
        ("examples/organizations/common/products.yaml", spec.ProductsFile),
    ],
)
def test_the_usual_valid_files_are_taken_quickly(relative: str, kind: type[Any]) -> None:
    parsed = parse_yaml((ROOT / relative).read_text(encoding="utf-8"))
    assert parsed is not None
    assert quick_value(kind, parsed.value) is not None


def test_an_experience_of_every_shape_is_taken_with_the_schema_value() -> None:
    value = {
        "name": "Data Science",
        "description": "Tools for the data team",
        "id": "exp-abc123",
        "status": "enabled",
        "archived": False,
        "software_requests": "deny",
        "principals": ["111122223333", "ou-ab12-cdefgh34", "o-abcdefghij"],
        "products": {
            "allow": ["prod-a", {"id": "prod-b", "notes": "SR-1"}, {"set": "baseline"}],
            "deny": [{"id": "prod-c"}],
        },
        "branding": {
            "title": "Data",
            "information": "Ask the platform team",
            "theme_color": "#0A66C2",
            "logo_url": "https://example.com/logo.png",
        },
    }
    quick = _agree(spec.ExperienceFile, value)
    assert quick is not None
    assert quick.products.allow[2] == spec.SetReference(set="baseline")


def test_settings_with_a_bare_off_are_taken_as_off() -> None:
    assert _agree(spec.SettingsFile, {"product_checks": False}).product_checks == "off"


# Generated documents: valid members, then at most one member replaced by a value just
# outside what the schema takes (or a key it does not know), so both outcomes are common.


@st.composite
def _near(
    draw: st.DrawFn,
    valid: dict[str, st.SearchStrategy[Any]],
    invalid: dict[str, st.SearchStrategy[Any]],
    required: tuple[str, ...] = (),
    broken: bool | None = None,
) -> dict[str, Any]:
    """A document of ``valid`` members; ``broken`` (drawn when None): one ``invalid`` one."""
    keys = [k for k in valid if k in required or draw(st.booleans())]
    document = {key: draw(valid[key]) for key in keys}
    if broken if broken is not None else draw(st.booleans()):
        key = draw(st.sampled_from(sorted(invalid)))
        document[key] = draw(invalid[key])
    return document


_ODD = st.sampled_from([None, 1, 0, -1, True, False, 1.5, [], {}, 2**64])
_BAD_TEXTS = st.sampled_from(["", "x" * 51, "x" * 1001, 5, None, ["a"]])
_REFERENCES = st.sampled_from(["prod-a", "okta", "p", "x" * 50, "é-prod", "a b\n"])
_VALID_ENTRIES = st.one_of(
    _REFERENCES,
    st.fixed_dictionaries(
        {"id": _REFERENCES}, optional={"notes": st.sampled_from(["SR-1", "n" * 50, None])}
    ),
    st.fixed_dictionaries({"set": st.sampled_from(["baseline", "a.b-c", "x9"])}),
)
_BAD_ENTRIES = st.one_of(
    _BAD_TEXTS,
    _ODD,
    st.fixed_dictionaries({"id": _BAD_TEXTS}),
    st.fixed_dictionaries({"id": st.just("prod-a"), "notes": _BAD_TEXTS}),
    st.fixed_dictionaries({"set": st.sampled_from(["Base", "", "-x", "a\n", 5])}),
    st.fixed_dictionaries({"set": st.just("baseline"), "id": st.just("prod-a")}),
    st.fixed_dictionaries({"notes": st.just("no id")}),
)
_VALID_LISTS = st.one_of(st.lists(_REFERENCES, max_size=5), st.lists(_VALID_ENTRIES, max_size=4))
_BAD_LISTS = st.one_of(
    _ODD,
    st.lists(_BAD_TEXTS, min_size=1, max_size=2),
    st.tuples(st.lists(_VALID_ENTRIES, max_size=3), _BAD_ENTRIES).map(lambda t: [*t[0], t[1]]),
)
_TITLES = st.sampled_from(["Data", "t" * 50, "é"])
_TEXTS = st.sampled_from(["Ask first", "x" * 1000, "multi\nline", "\t"])
_COLORS = st.sampled_from(["#0A66C2", "#abcdef"])
_URLS = st.sampled_from(["https://example.com/logo.png", "http://x", "https://a/" + "x" * 2030])
_BAD_URLS = st.sampled_from(
    [
        "https://.example.com",
        "https://example.com/a b.png",
        "https://example.com/\x1c",
        "https://example.com/\u2003",
        "https://a/" + "x" * 2039,
        "ftp://example.com/logo.png",
        "https://example.com/logo.png\n",
    ]
)
_BRANDING = {"title": _TITLES, "information": _TEXTS, "theme_color": _COLORS, "logo_url": _URLS}
_BAD_BRANDING = {
    "title": _BAD_TEXTS,
    "information": _BAD_TEXTS,
    "theme_color": st.sampled_from(["#0a66c", "0A66C2", "#0A66C2\n", "#0A66C2 ", 5]),
    "logo_url": st.one_of(_BAD_URLS, _ODD),
    "font": st.just("serif"),
}
_PRINCIPALS = st.sampled_from(["111122223333", "ou-ab12-cdefgh34", "o-abcdefghij"])
_BAD_PRINCIPALS = st.sampled_from(
    ["11112222333", "111122223333\n", "١١١١٢٢٢٢٣٣٣٣", "r-ab12", 111122223333, "OU-AB12-CDEFGH34"]
)
_PRODUCTS = {"allow": _VALID_LISTS, "deny": _VALID_LISTS}
_EXPERIENCE = {
    "name": st.sampled_from(["Team", "Team_1 - a", "n" * 50]),
    "description": st.one_of(_TEXTS, st.none()),
    "id": st.sampled_from(["exp-abc123", "exp-A1"]),
    "status": st.sampled_from(["enabled", "disabled"]),
    "archived": st.booleans(),
    "software_requests": st.sampled_from(["allow", "deny"]),
    "principals": st.lists(_PRINCIPALS, max_size=3),
    "products": _near(_PRODUCTS, {}, broken=False),
    "branding": st.one_of(st.none(), _near(_BRANDING, {}, broken=False)),
}
_BAD_EXPERIENCE = {
    "name": st.sampled_from(["x" * 51, "Team!", "Équipe", "", "Team\n", 7, None]),
    "description": _BAD_TEXTS,
    "id": st.sampled_from(["exp-", "exp-abc\n", "abc", "exp-a_b", 3]),
    "status": st.sampled_from(["Enabled", True, None, "live"]),
    "archived": st.sampled_from(["yes", 1, 0, None]),
    "software_requests": st.sampled_from([False, "maybe", "Allow"]),
    "principals": st.one_of(
        _ODD, st.lists(_BAD_PRINCIPALS, min_size=1, max_size=2), st.just("111122223333")
    ),
    "products": st.one_of(
        _ODD,
        _near(_PRODUCTS, {"allow": _BAD_LISTS, "deny": _BAD_LISTS, "maybe": _ODD}, broken=True),
    ),
    "branding": st.one_of(
        _ODD.filter(lambda v: v is not None), _near(_BRANDING, _BAD_BRANDING, broken=True)
    ),
    "owner": st.just("someone"),
}
_ALIASES = st.sampled_from(["okta", "a.b_c-d", "x9"])
_BAD_ALIASES = st.sampled_from(["Okta", "-x", "", "x\n", 5, True, "é"])
_PRODUCTS_FILE = {
    "products": st.dictionaries(_ALIASES, _REFERENCES, max_size=3),
    "sets": st.dictionaries(_ALIASES, _VALID_LISTS, max_size=3),
}
_BAD_PRODUCTS_FILE = {
    "products": st.one_of(
        _ODD,
        st.dictionaries(_BAD_ALIASES, _REFERENCES, min_size=1, max_size=1),
        st.dictionaries(_ALIASES, st.one_of(_BAD_TEXTS, _ODD), min_size=1, max_size=1),
    ),
    "sets": st.one_of(
        _ODD,
        st.dictionaries(_BAD_ALIASES, _VALID_LISTS, min_size=1, max_size=1),
        st.dictionaries(_ALIASES, _BAD_LISTS, min_size=1, max_size=1),
    ),
    "aliases": st.just({}),
}
_COUNTS = st.sampled_from([0, 3, 25, 2**63 - 1])
_BAD_COUNTS = st.sampled_from([-1, 2**63, 2**70, True, "3", 2.0, None])
_INCLUDES = st.sampled_from(["../common/products.yaml", "x.yml", "a/b/c.yaml"])
_BAD_INCLUDES = st.sampled_from(
    ["/abs/p.yaml", "~/p.yaml", "a\\b.yaml", "p.json", "é/p.yaml", "", "p.yaml\n", 3]
)
_RAILS = {
    "max_product_removals": _COUNTS,
    "max_principal_removals": _COUNTS,
    "protected": st.lists(st.sampled_from(["finance", "x", ""]), max_size=3),
}
_BAD_RAILS = {
    "max_product_removals": _BAD_COUNTS,
    "max_principal_removals": _BAD_COUNTS,
    "protected": st.one_of(_ODD, st.lists(_ODD, min_size=1, max_size=2)),
    "limit": st.just(1),
}
_SETTINGS = {
    "version": st.just(1),
    "organization_id": st.one_of(st.none(), st.just("o-abcdefghij")),
    "caller": st.sampled_from(["management", "delegated-admin"]),
    "unmanaged_experiences": st.sampled_from(["ignore", "warn", "archive"]),
    "guardrails": _near(_RAILS, {}, broken=False),
    "include": st.lists(_INCLUDES, max_size=3),
    "product_checks": st.sampled_from(["warn", "error", "off", False]),
}
_BAD_SETTINGS = {
    "version": st.sampled_from([2, True, "1", 1.0, 0]),
    "organization_id": st.sampled_from(["o-abc", "O-ABCDEFGHIJ", 1, "o-abcdefghij\n"]),
    "caller": st.sampled_from(["admin", None, "Management"]),
    "unmanaged_experiences": st.sampled_from(["keep", 0, None]),
    "guardrails": st.one_of(_ODD, _near(_RAILS, _BAD_RAILS, broken=True)),
    "include": st.one_of(_ODD, st.lists(_BAD_INCLUDES, min_size=1, max_size=2)),
    "product_checks": st.sampled_from([True, None, "Off", "no"]),
}


@settings(max_examples=1000)  # many members, each with its near misses
@given(_near(_EXPERIENCE, _BAD_EXPERIENCE, required=("name",)))
def test_both_checks_agree_on_generated_experience_files(value: dict[str, Any]) -> None:
    _agree(spec.ExperienceFile, value)


@settings(max_examples=1000)  # many members, each with its near misses
@given(_near(_PRODUCTS_FILE, _BAD_PRODUCTS_FILE))
def test_both_checks_agree_on_generated_products_files(value: dict[str, Any]) -> None:
    _agree(spec.ProductsFile, value)


@settings(max_examples=1000)  # many members, each with its near misses
@given(_near(_SETTINGS, _BAD_SETTINGS))
def test_both_checks_agree_on_generated_settings_files(value: dict[str, Any]) -> None:
    _agree(spec.SettingsFile, value)


_LOADED_MODELS = (
    "import sys\n"
    "from pathlib import Path\n"
    "from pmp_reconcile.desired.loader import load_with_findings\n"
    "state, findings = load_with_findings(Path(sys.argv[1]))\n"
    "print(state is not None, 'pmp_reconcile.desired.schema' in sys.modules)\n"
)


def _load_in_a_fresh_interpreter(tree: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _LOADED_MODELS, str(tree)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def test_a_valid_tree_loads_without_the_schema_models_and_a_broken_file_with_them(
    tmp_path: Path,
) -> None:
    shutil.copytree(ROOT / "desired_state", tmp_path / "tree")
    assert _load_in_a_fresh_interpreter(tmp_path / "tree") == "True False"
    (tmp_path / "tree" / "experiences" / "finance.yaml").write_text(
        "name: Finance\nstatus: live\n", encoding="utf-8"
    )
    assert _load_in_a_fresh_interpreter(tmp_path / "tree") == "False True"


def test_each_plain_value_has_the_fields_of_its_schema_model() -> None:
    models = [schema.ProductWithNotes, schema.SetReference, schema.Products, schema.BrandingFile]
    models += [schema.ExperienceFile, schema.ProductsFile, schema.GuardrailsFile]
    for model in [*models, schema.SettingsFile]:
        value = getattr(spec, model.__name__)
        assert [f.name for f in dataclasses.fields(value)] == list(model.model_fields), model
