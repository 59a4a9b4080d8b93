"""``plan`` stops on an invalid tree: every finding shown, nothing sent to the sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BROKEN = {
    "experiences/finance.yaml": (
        "name: Finance\nstatus: on\nprincipals:\n  - 123456789012\nbrandng:\n  title: x\n"
    ),
    "experiences/ops.yaml": (
        "name: Ops\nproducts:\n  allow:\n    - splunk k\n    - prod-abc\n    - prod-abc\n"
    ),
    "products.yaml": "products:\n  splunk: 3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69\n",
}


def test_plan_refuses_an_invalid_tree_with_every_finding(tmp_path: Path) -> None:
    for name, text in BROKEN.items():
        path = tmp_path / "desired_state" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pmp_reconcile", "--sandbox", "plan"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PMP_SANDBOX_HOME": str(tmp_path / "sb")},
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "desired_state/experiences/finance.yaml:2:9: D013" in done.stderr
    assert "desired_state/experiences/ops.yaml:4:7: D023" in done.stderr
    assert "desired_state/experiences/ops.yaml:6:7: D034" in done.stderr
    assert not (tmp_path / "sb" / "state.json").exists()
