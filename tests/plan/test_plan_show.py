"""``pmp-reconcile show``: a saved plan rendered as ``plan`` rendered it, in every format."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from test_plan_render import mixed_plan

from pmp_reconcile.views.formats import PLAN_FORMATS, OutputFormat
from pmp_reconcile.views.plan import render
from pmp_reconcile.workflows import save_plan

from clirun import run_cli

Golden = Callable[[str, str], None]
SUFFIX = {OutputFormat.TEXT: "text", OutputFormat.MARKDOWN: "md", OutputFormat.JSON: "json"}


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    save_plan(mixed_plan(), path)
    return path


@pytest.mark.parametrize("output", PLAN_FORMATS)
def test_show_renders_a_saved_plan_as_plan_did(
    saved: Path, output: OutputFormat, golden: Golden
) -> None:
    done = run_cli("show", str(saved), "--output", output.value)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(render(mixed_plan().to_document(), output))
    golden(f"plan/show-mixed.{SUFFIX[output]}", done.stdout)


def test_show_as_json_is_the_saved_document(saved: Path) -> None:
    done = run_cli("show", str(saved), "--output", "json")
    assert json.loads(done.stdout) == json.loads(saved.read_text(encoding="utf-8"))


def test_an_edited_plan_is_refused_with_a_hint(saved: Path) -> None:
    document = json.loads(saved.read_text(encoding="utf-8"))
    document["experiences"][0]["name"] = "Edited"
    saved.write_text(json.dumps(document), encoding="utf-8")
    done = run_cli("show", str(saved))
    assert done.returncode == 1
    assert "was edited" in done.stderr
    assert "hint: write a fresh one" in done.stderr
    assert done.stdout == ""


def test_a_missing_plan_file_is_an_error(tmp_path: Path) -> None:
    done = run_cli("show", str(tmp_path / "nothing.json"))
    assert done.returncode == 1
    assert "cannot read plan" in done.stderr
