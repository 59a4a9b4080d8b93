"""Trees that cannot sit in the corpus (bytes, links, warnings only) or test the loader's API."""

from __future__ import annotations

from pathlib import Path

import pytest

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
