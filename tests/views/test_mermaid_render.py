"""The diagrams are drawn by mermaid itself: mermaid-cli, with Debian's chromium as its browser.

Both come from the project's files (``make mermaid``, which ``make test`` runs: package.json
and its lock, and apt-get for chromium). Where they could not be installed the test skips and
says which is missing; it never passes without drawing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from big_diagrams import all_diagrams
from clirun import ROOT

MMDC = ROOT / "node_modules" / ".bin" / "mmdc"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _missing() -> str | None:
    if not MMDC.exists():
        return f"{MMDC.relative_to(ROOT)} is not installed (make mermaid: npm ci)"
    if CHROMIUM is None:
        return "chromium is not installed (make mermaid: apt-get install chromium)"
    return None


@pytest.mark.slow
@pytest.mark.skipif(_missing() is not None, reason=_missing() or "")
def test_every_diagram_is_drawn_by_mermaid(tmp_path: Path) -> None:
    config = tmp_path / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": CHROMIUM, "args": ["--no-sandbox"]}))
    diagrams = all_diagrams()
    source = tmp_path / "diagrams.md"
    source.write_text(
        "".join(f"## {name}\n\n```mermaid\n{chart}```\n\n" for name, chart in diagrams.items()),
        encoding="utf-8",
    )
    done = subprocess.run(
        [str(MMDC), "-p", str(config), "-i", str(source), "-o", str(tmp_path / "drawn.md")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for number, name in enumerate(diagrams, start=1):
        svg = (tmp_path / f"drawn-{number}.svg").read_text(encoding="utf-8")
        assert "<svg" in svg, name
        assert "Syntax error" not in svg, name
        assert svg.count('<g class="node ') >= 2, name
