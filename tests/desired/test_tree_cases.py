"""Trees that cannot sit in the corpus (bytes, links, warnings only) or test the loader's API."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmp_reconcile.desired import yaml_marks
from pmp_reconcile.desired.loader import load_desired_state, load_with_findings
from pmp_reconcile.errors import Finding, InputError, Severity, ValidationFailed


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def found(root: Path, findings: list[Finding]) -> list[tuple[str, str, int, Severity]]:
    return [
        (f.code, Path(f.location.file).relative_to(root).as_posix(), f.location.line, f.severity)
        for f in findings
    ]


ERROR, WARNING = Severity.ERROR, Severity.WARNING


def test_a_file_that_is_not_utf8_is_unreadable(tmp_path: Path) -> None:
    write(tmp_path, {"experiences/a.yaml": b"name: caf\xe9\n"})
    state, findings = load_with_findings(tmp_path)
    assert state is None
    assert found(tmp_path, findings) == [("D005", "experiences/a.yaml", 0, ERROR)]


def test_a_dangling_link_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "experiences").mkdir()
    (tmp_path / "experiences" / "a.yaml").symlink_to(tmp_path / "gone.yaml")
    state, findings = load_with_findings(tmp_path)
    assert state is None
    assert found(tmp_path, findings) == [("D005", "experiences/a.yaml", 0, ERROR)]


def test_a_nul_character_is_a_syntax_error_at_its_place(tmp_path: Path) -> None:
    write(tmp_path, {"experiences/a.yaml": "name: A\ndescription: x\x00y\n"})
    _, findings = load_with_findings(tmp_path)
    assert [(f.code, f.location.line, f.location.column) for f in findings] == [("D001", 2, 15)]


def test_an_alias_bomb_stops_with_a_finding(tmp_path: Path) -> None:
    rows = ["name: A", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    write(tmp_path, {"experiences/a.yaml": "\n".join(rows) + "\n"})
    _, findings = load_with_findings(tmp_path)
    assert [f.code for f in findings] == ["D001"]


def test_deep_nesting_stops_with_a_finding(tmp_path: Path) -> None:
    write(tmp_path, {"experiences/a.yaml": "name: A\nx: " + "[" * 600 + "]" * 600 + "\n"})
    _, findings = load_with_findings(tmp_path)
    assert [f.code for f in findings] == ["D001"]


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    write(tmp_path, {"experiences/a.yaml": "\ufeffname: A\n"})
    state, findings = load_with_findings(tmp_path)
    assert state is not None
    assert findings == []


def test_files_that_are_not_read_are_warnings(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "experiences/a.yaml": "name: A\n",
            "experiences/README.md": "notes\n",
            "experiences/old/b.yaml": "name: B\n",
            "experiences/.hidden.yaml": "not: read\n",
            "settings.yaml": "caller: management\n",
            "notes.txt": "ignored silently\n",
        },
    )
    state, findings = load_with_findings(tmp_path)
    assert state is not None
    assert [e.key for e in state.experiences] == ["a"]
    assert found(tmp_path, findings) == [
        ("D008", "experiences/README.md", 0, WARNING),
        ("D008", "experiences/old", 0, WARNING),
        ("D008", "settings.yaml", 0, WARNING),
    ]


def test_a_protected_key_without_a_file_is_a_warning(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"experiences/a.yaml": "name: A\n", "pmp.yaml": "guardrails:\n  protected: [a, b]\n"},
    )
    state, findings = load_with_findings(tmp_path)
    assert state is not None
    assert state.settings.guardrails.protected == ("a", "b")
    assert found(tmp_path, findings) == [("D037", "pmp.yaml", 2, WARNING)]


def test_an_empty_experiences_directory_is_an_empty_state(tmp_path: Path) -> None:
    (tmp_path / "experiences").mkdir()
    state, findings = load_with_findings(tmp_path)
    assert state is not None
    assert (state.experiences, findings) == ((), [])


def test_defaults_fill_what_an_experience_file_omits(tmp_path: Path) -> None:
    write(tmp_path, {"experiences/a.yaml": "name: A\n"})
    (experience,) = load_desired_state(tmp_path).experiences
    assert (experience.status.value, experience.software_requests) == ("disabled", "allow")
    assert (experience.description, experience.branding, experience.id) == (None, None, None)
    assert (experience.principals, experience.allowed, experience.denied) == (
        frozenset(),
        frozenset(),
        frozenset(),
    )


def test_a_long_form_product_may_omit_its_notes(tmp_path: Path) -> None:
    text = "name: A\nproducts:\n  allow:\n    - id: prod-abc\n    - id: prod-def\n      notes: ok\n"
    write(tmp_path, {"experiences/a.yaml": text})
    (experience,) = load_desired_state(tmp_path).experiences
    assert experience.allowed == frozenset({"prod-abc", "prod-def"})
    assert dict(experience.notes) == {"prod-def": "ok"}


def test_an_alias_and_an_id_resolve_to_the_same_product(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "products.yaml": "products:\n  crm: prod-crm1\n",
            "experiences/a.yaml": "name: A\nproducts:\n  deny: [crm]\n",
        },
    )
    state = load_desired_state(tmp_path)
    assert state.experiences[0].denied == frozenset({"prod-crm1"})
    assert dict(state.aliases) == {"crm": "prod-crm1"}


def test_experiences_are_in_file_name_order(tmp_path: Path) -> None:
    write(tmp_path, {f"experiences/{k}.yaml": f"name: {k.upper()}\n" for k in "cab"})
    assert [e.key for e in load_desired_state(tmp_path).experiences] == ["a", "b", "c"]


def test_all_problems_of_all_files_come_in_one_sorted_run(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pmp.yaml": "caller: nobody\n",
            "products.yaml": "products:\n  Bad: prod-x\n",
            "experiences/b.yaml": "name: B\nstatus: live\n",
            "experiences/a.yaml": "name: A\nbranding:\n  theme_color: red\nextra: 1\n",
        },
    )
    _, findings = load_with_findings(tmp_path)
    assert [(c, f, line) for c, f, line, _ in found(tmp_path, findings)] == [
        ("D025", "experiences/a.yaml", 3),
        ("D010", "experiences/a.yaml", 4),
        ("D013", "experiences/b.yaml", 2),
        ("D013", "pmp.yaml", 1),
        ("D027", "products.yaml", 2),
    ]


def test_load_desired_state_raises_with_every_finding(tmp_path: Path) -> None:
    write(tmp_path, {"experiences/a.yaml": "name: A\nstatus: on\nfoo: 1\n"})
    with pytest.raises(ValidationFailed) as raised:
        load_desired_state(tmp_path)
    assert [f.code for f in raised.value.findings] == ["D013", "D010"]


def test_a_missing_directory_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not a directory"):
        load_with_findings(tmp_path / "nowhere")


def test_a_file_instead_of_a_directory_is_an_input_error(tmp_path: Path) -> None:
    write(tmp_path, {"pmp.yaml": "version: 1\n"})
    with pytest.raises(InputError, match="is not a directory"):
        load_desired_state(tmp_path / "pmp.yaml")


def test_an_alias_beside_its_own_id_is_a_warning_and_listed_once(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "products.yaml": "products:\n  crm: prod-crm1\n",
            "experiences/a.yaml": (
                "name: A\nproducts:\n  allow:\n    - crm\n    - id: prod-crm1\n      notes: ok\n"
            ),
        },
    )
    state, findings = load_with_findings(tmp_path)
    assert state is not None
    assert found(tmp_path, findings) == [("D039", "experiences/a.yaml", 5, WARNING)]
    assert state.experiences[0].allowed == frozenset({"prod-crm1"})
    assert dict(state.experiences[0].notes) == {"prod-crm1": "ok"}
    assert state.experiences[0].product_sources["prod-crm1"].line == 4


def test_the_format_documents_own_example_is_valid(tmp_path: Path) -> None:
    """The three examples of desired-state.md, as one tree, load with warnings only."""
    write(tmp_path, {"experiences/finance.yaml": SPEC_EXPERIENCE})
    write(tmp_path, {"products.yaml": SPEC_PRODUCTS, "pmp.yaml": SPEC_SETTINGS})
    state, findings = load_with_findings(tmp_path)
    assert state is not None
    # D044: the example's 'information: Ask #finance-it first' reads as 'Ask'
    assert [f.code for f in findings] == ["D039", "D044", "D037"]
    (finance,) = state.experiences
    assert finance.principals == frozenset({"ou-ab12-cdef3456", "123456789012", "o-abcdef1234"})
    assert finance.allowed == frozenset(
        {"3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69", "prod-abcdefghij123"}
    )
    assert finance.branding is not None
    assert finance.branding.logo_url == "https://example.com/logo.png"


SPEC_EXPERIENCE = """\
# yaml-language-server: $schema=../../schema/desired-state.schema.json   (editor completion)
name: Finance Unit Experience          # required; 1-50 of letters, digits, space, _ and -
description: Approved software for finance   # optional; 1-1000; omitted = left as it is live
id: exp-1a2b3c4d5e6f7                  # optional: pins a live experience
status: enabled                        # enabled | disabled (default disabled, as AWS creates them)
archived: false                        # optional; true archives (the experience must be disabled)
software_requests: deny                # allow | deny (default allow, as AWS does)
principals:                            # who this experience governs: the whole truth
  - ou-ab12-cdef3456                   #   organizational unit
  - "123456789012"                     #   account (quote it: YAML would read a number)
  - o-abcdef1234                       #   the organization
products:
  allow:                               # the whole truth: live products not listed get denied
    - splunk-enterprise                #   an alias from products.yaml
    - 3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69
    - id: prod-abcdefghij123           #   long form, with a note kept with the decision
      notes: SR-1042 security review
  deny:                                # products to deny explicitly (recorded decisions)
    - 9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d
branding:                              # optional; omitted means "leave branding as it is"
  title: Finance Marketplace           # 1-50
  information: Ask #finance-it first   # 1-1000
  theme_color: "#0A66C2"               # #RRGGBB
  logo_url: https://example.com/logo.png   # http(s); AWS copies png/svg up to 500 KB
"""
SPEC_PRODUCTS = """\
products:
  splunk-enterprise: 3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69
  datadog: prod-abcdefghij123
"""
SPEC_SETTINGS = """\
version: 1
organization_id: o-abcdef1234      # optional guard: refuse to plan/apply against another org
caller: management                 # management | delegated-admin
unmanaged_experiences: warn        # ignore | warn | archive — live experiences with no file
guardrails:                        # crossing one fails unless --allow-destructive
  max_product_removals: 25         # products newly denied in one run, over all experiences
  max_principal_removals: 10       # principals disassociated in one run
  protected: [default]             # keys that may not be disabled, archived or lose principals
"""


def test_a_long_file_without_aliases_is_read_whole(tmp_path: Path) -> None:
    """120,000 lines of product ids, some with a comment: large, but written out, not an
    alias expanding, so it is read (the file size limit bounds what is written out)."""
    count = yaml_marks.MAX_VALUES + 20_000
    ids = [f"    - prod-{i:07d}" + (" # noted" if i % 1000 == 0 else "") for i in range(count)]
    text = "name: A\nproducts:\n  allow:\n" + "\n".join(ids) + "\n"
    write(tmp_path, {"experiences/a.yaml": text})
    state, findings = load_with_findings(tmp_path)
    assert [f.message for f in findings if f.code == "D001"] == []
    assert state is not None
    assert len(state.experiences[0].allowed) == count
