"""A corpus of broken trees: each must give exactly the expected code at the expected line.

Every case is a small tree written to a temporary directory; ``validate`` must report the
problem with its code, file and line, exit 1 and never print a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pmp_reconcile.desired.loader import load_with_findings
from pmp_reconcile.errors import Severity

GOOD = "name: Finance\nstatus: enabled\n"
SPLUNK = "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69"
ALIASES = f"products:\n  splunk: {SPLUNK}\n"


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str]
    code: str
    file: str
    line: int
    extra: dict[str, str] = field(default_factory=dict)


def exp(text: str) -> dict[str, str]:
    return {"experiences/finance.yaml": text}


CASES = [
    Case("yaml syntax", exp("name: [Finance\n"), "D001", "experiences/finance.yaml", 2),
    Case(
        "bad indentation",
        exp("name: A\n  status: enabled\n"),
        "D001",
        "experiences/finance.yaml",
        2,
    ),
    Case(
        "tab indentation",
        exp("name: A\nprincipals:\n\t- x\n"),
        "D001",
        "experiences/finance.yaml",
        3,
    ),
    Case(
        "duplicate key",
        exp("name: A\nstatus: enabled\nname: B\n"),
        "D002",
        "experiences/finance.yaml",
        3,
    ),
    Case(
        "duplicate nested key",
        exp("name: A\nbranding:\n  title: a\n  title: b\n"),
        "D002",
        "experiences/finance.yaml",
        4,
    ),
    Case("empty file", exp(""), "D003", "experiences/finance.yaml", 1),
    Case("only comments", exp("# nothing here\n"), "D003", "experiences/finance.yaml", 1),
    Case("top level list", exp("- name: A\n"), "D004", "experiences/finance.yaml", 1),
    Case("top level scalar", exp("just text\n"), "D004", "experiences/finance.yaml", 1),
    Case("unknown key", exp("name: A\nstatuss: enabled\n"), "D010", "experiences/finance.yaml", 2),
    Case(
        "unknown nested key",
        exp("name: A\nbranding:\n  colour: x\n"),
        "D010",
        "experiences/finance.yaml",
        3,
    ),
    Case(
        "unknown product key",
        exp("name: A\nproducts:\n  allowed: []\n"),
        "D010",
        "experiences/finance.yaml",
        3,
    ),
    Case("missing name", exp("status: enabled\n"), "D011", "experiences/finance.yaml", 1),
    Case(
        "note without id",
        exp("name: A\nproducts:\n  allow:\n    - notes: why\n"),
        "D011",
        "experiences/finance.yaml",
        4,
    ),
    Case(
        "principals not a list",
        exp("name: A\nprincipals: ou-ab12-cdefgh12\n"),
        "D012",
        "experiences/finance.yaml",
        2,
    ),
    Case(
        "unquoted account",
        exp("name: A\nprincipals:\n  - 123456789012\n"),
        "D012",
        "experiences/finance.yaml",
        3,
    ),
    Case(
        "archived not bool",
        exp("name: A\narchived: maybe\n"),
        "D012",
        "experiences/finance.yaml",
        2,
    ),
    Case("name a number", exp("name: 42\n"), "D012", "experiences/finance.yaml", 1),
    Case("status yes", exp("name: A\nstatus: yes\n"), "D013", "experiences/finance.yaml", 2),
    Case("status live", exp("name: A\nstatus: live\n"), "D013", "experiences/finance.yaml", 2),
    Case(
        "requests maybe",
        exp("name: A\nsoftware_requests: maybe\n"),
        "D013",
        "experiences/finance.yaml",
        2,
    ),
    Case(
        "description too long",
        exp("name: A\ndescription: " + "x" * 1001 + "\n"),
        "D014",
        "experiences/finance.yaml",
        2,
    ),
    Case(
        "empty description",
        exp("name: A\ndescription: ''\n"),
        "D014",
        "experiences/finance.yaml",
        2,
    ),
    Case(
        "title too long",
        exp("name: A\nbranding:\n  title: " + "t" * 51 + "\n"),
        "D014",
        "experiences/finance.yaml",
        3,
    ),
    Case(
        "note too long",
        exp("name: A\nproducts:\n  allow:\n    - id: prod-abc\n      notes: " + "n" * 51 + "\n"),
        "D014",
        "experiences/finance.yaml",
        5,
    ),
    Case(
        "product id too long",
        exp("name: A\nproducts:\n  allow:\n    - prod-" + "a" * 50 + "\n"),
        "D014",
        "experiences/finance.yaml",
        4,
    ),
    Case("name with slash", exp("name: Finance/IT\n"), "D020", "experiences/finance.yaml", 1),
    Case("name too long", exp("name: " + "N" * 51 + "\n"), "D020", "experiences/finance.yaml", 1),
    Case(
        "bad experience id",
        exp("name: A\nid: experience-1\n"),
        "D021",
        "experiences/finance.yaml",
        2,
    ),
    Case(
        "short account id",
        exp("name: A\nprincipals:\n  - '12345'\n"),
        "D022",
        "experiences/finance.yaml",
        3,
    ),
    Case(
        "bad ou id",
        exp("name: A\nprincipals:\n  - ou-AB12-cdefgh12\n"),
        "D022",
        "experiences/finance.yaml",
        3,
    ),
    Case(
        "bad organization id",
        exp("name: A\nprincipals:\n  - o-short\n"),
        "D022",
        "experiences/finance.yaml",
        3,
    ),
    Case(
        "root id", exp("name: A\nprincipals:\n  - r-ab12\n"), "D022", "experiences/finance.yaml", 3
    ),
    Case(
        "unknown alias",
        exp("name: A\nproducts:\n  allow:\n    - splunk k\n"),
        "D023",
        "experiences/finance.yaml",
        4,
        {"products.yaml": ALIASES},
    ),
    Case(
        "unknown alias in deny",
        exp("name: A\nproducts:\n  deny:\n    - nothing here\n"),
        "D023",
        "experiences/finance.yaml",
        4,
    ),
    Case(
        "colour name",
        exp("name: A\nbranding:\n  theme_color: blue\n"),
        "D025",
        "experiences/finance.yaml",
        3,
    ),
    Case(
        "short colour",
        exp("name: A\nbranding:\n  theme_color: '#FFF'\n"),
        "D025",
        "experiences/finance.yaml",
        3,
    ),
    Case(
        "ftp logo",
        exp("name: A\nbranding:\n  logo_url: ftp://x/logo.png\n"),
        "D026",
        "experiences/finance.yaml",
        3,
    ),
    Case(
        "alias uppercase",
        {"products.yaml": "products:\n  Splunk: prod-abc\n"},
        "D027",
        "products.yaml",
        2,
    ),
    Case("bad org in pmp", {"pmp.yaml": "organization_id: org-1\n"}, "D028", "pmp.yaml", 1),
    Case(
        "alias to non id",
        {"products.yaml": "products:\n  splunk: not an id\n"},
        "D029",
        "products.yaml",
        2,
    ),
    Case(
        "name twice",
        {"experiences/zeta.yaml": "name: Finance\n"},
        "D030",
        "experiences/zeta.yaml",
        1,
    ),
    Case(
        "id twice",
        {
            "experiences/finance.yaml": "name: A\nid: exp-abc\n",
            "experiences/zeta.yaml": "name: B\nid: exp-abc\n",
        },
        "D031",
        "experiences/zeta.yaml",
        2,
    ),
    Case(
        "principal twice",
        {
            "experiences/finance.yaml": "name: A\nprincipals: ['111111111111']\n",
            "experiences/zeta.yaml": "name: B\nprincipals:\n  - '111111111111'\n",
        },
        "D032",
        "experiences/zeta.yaml",
        3,
    ),
    Case(
        "allowed and denied",
        exp("name: A\nproducts:\n  allow: [prod-abc]\n  deny:\n    - prod-abc\n"),
        "D033",
        "experiences/finance.yaml",
        5,
    ),
    Case(
        "alias and id denied",
        exp(f"name: A\nproducts:\n  allow:\n    - splunk\n  deny:\n    - {SPLUNK}\n"),
        "D033",
        "experiences/finance.yaml",
        6,
        {"products.yaml": ALIASES},
    ),
    Case(
        "product twice",
        exp("name: A\nproducts:\n  allow:\n    - prod-abc\n    - prod-abc\n"),
        "D034",
        "experiences/finance.yaml",
        5,
    ),
    Case(
        "archived enabled",
        exp("name: A\nstatus: enabled\narchived: true\n"),
        "D035",
        "experiences/finance.yaml",
        3,
    ),
    Case(
        "id under two aliases",
        {"products.yaml": "products:\n  a: prod-abc\n  b: prod-abc\n"},
        "D036",
        "products.yaml",
        3,
    ),
    Case(
        "foreign organization",
        {
            "pmp.yaml": "organization_id: o-abcdefghij\n",
            "experiences/finance.yaml": "name: A\nprincipals:\n  - o-zzzzzzzzzz\n",
        },
        "D038",
        "experiences/finance.yaml",
        3,
    ),
    Case("pmp version", {"pmp.yaml": "version: 2\n"}, "D013", "pmp.yaml", 1),
    Case("pmp caller", {"pmp.yaml": "caller: admin\n"}, "D013", "pmp.yaml", 1),
    Case("pmp unmanaged", {"pmp.yaml": "unmanaged_experiences: delete\n"}, "D013", "pmp.yaml", 1),
    Case(
        "pmp negative guardrail",
        {"pmp.yaml": "guardrails:\n  max_product_removals: -1\n"},
        "D014",
        "pmp.yaml",
        2,
    ),
    Case("pmp unknown key", {"pmp.yaml": "unmanaged: warn\n"}, "D010", "pmp.yaml", 1),
    Case("pmp list", {"pmp.yaml": "- version: 1\n"}, "D004", "pmp.yaml", 1),
    Case(
        "products not a mapping",
        {"products.yaml": "products:\n  - prod-abc\n"},
        "D012",
        "products.yaml",
        2,
    ),
    Case("yml extension", {"experiences/ops.yml": "name: Ops\n"}, "D007", "experiences/ops.yml", 0),
    Case(
        "uppercase file name",
        {"experiences/Ops.yaml": "name: Ops\n"},
        "D007",
        "experiences/Ops.yaml",
        0,
    ),
    Case(
        "not utf-8",
        {"experiences/finance.yaml": "name: caf\udce9\n"},
        "D005",
        "experiences/finance.yaml",
        0,
    ),
]


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogateescape"))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_broken_tree_reports_the_code_at_its_line(tmp_path: Path, case: Case) -> None:
    write(tmp_path, exp(GOOD))
    write(tmp_path, {**case.extra, **case.files})
    state, findings = load_with_findings(tmp_path)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    found = [(f.code, f.location.file, f.location.line) for f in errors]
    expected = (case.code, str(tmp_path / case.file), case.line)
    assert state is None
    assert expected in found, found


def test_every_problem_is_reported_in_one_run_sorted(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "experiences/b.yaml": "name: B\nstatus: on\n",
            "experiences/a.yaml": "name: A\nprincipals:\n  - '1'\nbrandng: {}\n",
            "pmp.yaml": "caller: nobody\n",
        },
    )
    _, findings = load_with_findings(tmp_path)
    assert [(Path(f.location.file).name, f.location.line, f.code) for f in findings] == [
        ("a.yaml", 3, "D022"),
        ("a.yaml", 4, "D010"),
        ("b.yaml", 2, "D013"),
        ("pmp.yaml", 1, "D013"),
    ]


def test_unknown_keys_get_a_did_you_mean_hint(tmp_path: Path) -> None:
    write(tmp_path, exp("name: A\nsoftware_request: deny\n"))
    _, findings = load_with_findings(tmp_path)
    assert [f.hint for f in findings] == ["did you mean 'software_requests'?"]


def test_a_missing_experiences_directory_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"pmp.yaml": "version: 1\n"})
    state, findings = load_with_findings(tmp_path)
    assert state is None
    assert [f.code for f in findings] == ["D006"]


def test_stray_files_are_warnings_not_errors(tmp_path: Path) -> None:
    write(tmp_path, {**exp(GOOD), "settings.yaml": "x: 1\n", "experiences/README.md": "hi"})
    state, findings = load_with_findings(tmp_path)
    assert state is not None
    assert {(f.code, f.severity) for f in findings} == {("D008", Severity.WARNING)}
    assert len(findings) == 2


def test_a_protected_key_without_a_file_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, {**exp(GOOD), "pmp.yaml": "guardrails:\n  protected: [finance, default]\n"})
    state, findings = load_with_findings(tmp_path)
    assert state is not None
    assert [(f.code, f.location.line) for f in findings] == [("D037", 2)]
