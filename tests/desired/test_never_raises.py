"""Whatever the files hold, loading gives findings, never an exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmp_reconcile.desired.loader import load_with_findings

FRAGMENTS = [
    "name: A\n",
    "name:\n",
    "status: on\n",
    "archived: true\n",
    "principals:\n",
    "  - '111111111111'\n",
    "  - 111111111111\n",
    "  -\n",
    "products:\n",
    "  allow:\n",
    "  deny: [x]\n",
    "    - id: prod-abc\n",
    "      notes: n\n",
    "    - splunk\n",
    "branding: {title: T}\n",
    "branding:\n  theme_color: #FFF\n",
    "id: exp-1\n",
    "- a\n",
    "&a [*a]\n",
    "? [x]\n: y\n",
    "\t",
    "---\n",
    "splunk: prod-x\n",
    "guardrails: {protected: [a]}\n",
    "organization_id: o-abcdefghij\n",
    "version: 1\n",
    "x: !!binary aGk=\n",
    "y: !!timestamp 2024-99-99\n",
    "sets:\n",
    "  base:\n",
    "    - set: base\n",
    "    - set: other\n",
    "    - set: [x]\n",
    "    - {set: base, id: x}\n",
    "include:\n",
    "  - shared/products.yaml\n",
    "  - ../nowhere.yaml\n",
]
FILE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=8).map(
    "".join
)
NAMES = [
    "experiences/a.yaml",
    "experiences/b.yaml",
    "products.yaml",
    "pmp.yaml",
    "shared/products.yaml",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({}, optional=dict.fromkeys(NAMES, FILE)))
def test_any_tree_loads_or_reports(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "experiences").mkdir()
        for name, text in files.items():
            (root / name).parent.mkdir(exist_ok=True)
            (root / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        state, findings = load_with_findings(root)
        assert (state is None) == any(f.severity.value == "error" for f in findings)
