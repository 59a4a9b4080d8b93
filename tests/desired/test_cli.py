"""``pmp-reconcile validate`` and ``schema`` as a user runs them: exit codes, outputs, goldens."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pmp_reconcile.cli import main
from pmp_reconcile.desired.schema import experience_json_schema, json_schema

from clirun import run_cli

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
CORPUS = sorted(p for p in (HERE / "corpus").iterdir() if p.is_dir())
Golden = Callable[[str, str], None]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd, allow_traceback=True)  # the tests look for tracebacks


def no_traceback(done: subprocess.CompletedProcess[str]) -> bool:
    return "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_a_broken_tree_exits_1_with_its_golden_report(output: str, golden: Golden) -> None:
    done = run("validate", "trees/mixed", "--output", output, cwd=HERE)
    assert (done.returncode, done.stderr) == (1, "")
    golden(f"desired/mixed.{output}", done.stdout)


@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_the_example_tree_exits_0_with_its_golden_report(output: str, golden: Golden) -> None:
    done = run("validate", "--output", output)
    assert (done.returncode, done.stderr) == (0, "")
    golden(f"desired/clean.{output}", done.stdout)


def test_validate_reads_desired_state_by_default() -> None:
    done = run("validate")
    assert (done.returncode, done.stdout) == (0, "desired_state: valid\n")


@pytest.mark.parametrize(
    "case",
    [
        HERE / "corpus" / name
        for name in (
            "syntax-alias-loop",
            "empty-experience-file",
            "top-level-scalar-pmp",
            "file-yml-extension",
            "no-experiences-directory",
        )
    ],
    ids=lambda c: c.name,
)
def test_broken_trees_exit_1_without_a_traceback(case: Path) -> None:
    done = run("validate", str(case))
    assert done.returncode == 1
    assert no_traceback(done)
    assert done.stdout.endswith("error(s), 0 warning(s)\n")


def test_every_corpus_tree_exits_1_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    for case in CORPUS:
        with pytest.raises(SystemExit) as done:
            main(["validate", str(case), "--output", "json"])
        assert done.value.code == 1, case.name
        assert json.loads(capsys.readouterr().out)["valid"] is False


def test_a_missing_directory_is_one_clear_error(tmp_path: Path) -> None:
    done = run("validate", "nowhere", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("error: nowhere is not a directory [PMP002]\n")
    assert no_traceback(done)


def test_a_missing_default_directory_is_one_clear_error(tmp_path: Path) -> None:
    done = run("validate", cwd=tmp_path)
    assert done.returncode == 1
    assert "desired_state is not a directory" in done.stderr


def test_a_file_instead_of_a_directory_is_one_clear_error() -> None:
    done = run("validate", "desired_state/pmp.yaml")
    assert done.returncode == 1
    assert "is not a directory" in done.stderr
    assert no_traceback(done)


def test_an_unknown_output_format_is_a_usage_error() -> None:
    done = run("validate", "--output", "xml")
    assert done.returncode == 1
    assert "xml" in done.stderr
    assert no_traceback(done)


def test_validate_never_touches_aws(tmp_path: Path) -> None:
    env = {"AWS_ENDPOINT_URL_MARKETPLACE_CATALOG": "http://127.0.0.1:9", "AWS_PROFILE": "none"}
    done = subprocess.run(
        [sys.executable, "-m", "pmp_reconcile", "validate", str(ROOT / "desired_state")],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0


#: ``schema --file`` → the file it is shipped as.
SHIPPED = {
    "experience": "desired-state.schema.json",
    "products": "products.schema.json",
    "settings": "settings.schema.json",
}


@pytest.mark.parametrize("kind", sorted(SHIPPED))
def test_schema_prints_the_shipped_schema(kind: str) -> None:
    done = run("schema", "--file", kind)
    assert done.returncode == 0
    shipped = (ROOT / "schema" / SHIPPED[kind]).read_text(encoding="utf-8")
    assert done.stdout == shipped, f"regenerate: pmp-reconcile schema --file {kind} > schema/…"


def test_schema_prints_the_experience_schema_by_default() -> None:
    assert run("schema").stdout == run("schema", "--file", "experience").stdout


def test_the_shipped_schema_is_generated_from_the_models() -> None:
    shipped = json.loads((ROOT / "schema" / "desired-state.schema.json").read_text())
    assert shipped == experience_json_schema(), "regenerate: pmp-reconcile schema > schema/…"


def test_the_products_schema_knows_sets_and_the_settings_schema_includes() -> None:
    products = json_schema("products")
    settings = json_schema("settings")
    assert set(products["properties"]) == {"products", "sets"}
    assert "include" in settings["properties"]
    assert "SetReference" in json.dumps(json_schema("experience"))


def test_the_schema_describes_every_field() -> None:
    schema = experience_json_schema()
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["name"]
    for name, field in schema["properties"].items():
        assert field.get("description"), name


ORGS = ROOT / "examples" / "organizations" / "orgs"


def test_validate_takes_several_trees_in_one_call(golden: Golden) -> None:
    trees = [
        str(ORGS.relative_to(ROOT) / org / "desired_state") for org in ("production", "staging")
    ]
    done = run("validate", *trees)
    assert (done.returncode, done.stderr) == (0, "")
    golden("desired/several-trees.text", done.stdout)


@pytest.mark.parametrize("output", ["text", "json"])
def test_one_bad_tree_among_several_fails_the_call(output: str, golden: Golden) -> None:
    good = str(ORGS.relative_to(ROOT) / "production" / "desired_state")
    done = run("validate", good, "tests/desired/corpus/set-cycle", "--output", output)
    assert (done.returncode, done.stderr) == (1, "")
    assert "tests/desired/corpus/set-cycle/products.yaml" in done.stdout
    golden(f"desired/several-trees-one-bad.{output}", done.stdout)
