"""Commands that never call AWS start without importing boto3 (a quarter of a second).

``--help``, ``validate`` and ``schema`` run in a fresh interpreter; what it imported is read
from ``sys.modules`` as it exits.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Prints, as the interpreter exits, the modules it holds of those named in argv[1] (comma
#: separated: a package or module and everything under it).
REPORT = (
    "import atexit, json, sys\n"
    "watched = tuple(sys.argv.pop(1).split(','))\n"
    "atexit.register(lambda: print('IMPORTED', json.dumps(sorted(m for m in sys.modules"
    " if m in watched or m.startswith(tuple(w + '.' for w in watched))))))\n"
    "from pmp_reconcile.cli import main\n"
    "main()\n"
)
AWS_AND_MODELS = "boto3,pydantic,botocore.session"


def imported(
    *args: str, watched: str = AWS_AND_MODELS, cwd: Path = ROOT, expect_status: int = 0
) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", REPORT, watched, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=60,
    )
    assert done.returncode == expect_status, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("IMPORTED"))
    return list(json.loads(line.removeprefix("IMPORTED ")))


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("plan", "--help"),
        ("apply", "--help"),
        ("import", "--help"),
        ("iam-policy", "--role", "plan"),
        ("validate", "desired_state"),
        ("schema",),
    ],
    ids=" ".join,
)
def test_a_command_that_calls_no_aws_imports_no_boto3(args: tuple[str, ...]) -> None:
    loaded = imported(*args)
    assert not [m for m in loaded if not m.startswith("pydantic")], loaded


@pytest.mark.parametrize(
    "args",
    [("--help",), ("plan", "--help"), ("iam-policy", "--help"), ("validate", "desired_state")],
    ids=" ".join,
)
def test_help_and_a_valid_tree_import_no_pydantic_either(args: tuple[str, ...]) -> None:
    assert imported(*args) == []


def test_a_plan_with_product_checks_off_loads_no_discovery_module(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "experiences").mkdir(parents=True)
    (tree / "pmp.yaml").write_text("product_checks: off\n", encoding="utf-8")
    (tree / "experiences" / "team.yaml").write_text("name: Team\n", encoding="utf-8")
    args = ("--sandbox", "plan", str(tree), "--offline")
    assert imported(*args, watched="pmp_reconcile.products", cwd=tmp_path) == []
    assert "pmp_reconcile.workflows.reconcile" in imported(
        *args, watched="pmp_reconcile.workflows", cwd=tmp_path
    )  # the plan did run


#: The values a plan is made of, the reader that fills them and the planner: plain dataclasses.
PLAN_VALUES = (
    "pmp_reconcile.model",
    "pmp_reconcile.plan.values",
    "pmp_reconcile.plan.recorded",
    "pmp_reconcile.plan.make",
    "pmp_reconcile.catalog.reader",
)


def imported_with(modules: tuple[str, ...], watched: str) -> list[str]:
    """The watched modules a fresh interpreter holds after importing ``modules``."""
    code = (
        f"import json, sys\nimport {', '.join(modules)}\n"
        f"watched = tuple({watched!r}.split(','))\n"
        "print(json.dumps(sorted(m for m in sys.modules"
        " if m in watched or m.startswith(tuple(w + '.' for w in watched)))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def test_the_plan_values_reader_and_planner_load_no_pydantic() -> None:
    loaded = imported_with(PLAN_VALUES, watched="pydantic,pydantic_core,pmp_reconcile.plan.make")
    assert loaded == ["pmp_reconcile.plan.make"]  # the imports did run


def test_a_plan_of_a_valid_tree_loads_no_pydantic_and_a_broken_file_loads_the_schema(
    tmp_path: Path,
) -> None:
    """pydantic (a fifth of a plan of 100 experiences) serves only a file it must judge."""
    tree = tmp_path / "tree"
    (tree / "experiences").mkdir(parents=True)
    (tree / "pmp.yaml").write_text("product_checks: off\n", encoding="utf-8")
    (tree / "products.yaml").write_text("products:\n  okta: prod-cnbeqgbxw2w6a\n")
    (tree / "experiences" / "finance.yaml").write_text(
        "name: Finance\nstatus: enabled\nprincipals: ['111122223333']\n"
        "products:\n  allow: [okta, {id: prod-abc, notes: SR-1}]\n"
        "branding:\n  title: Finance\n  theme_color: '#0A66C2'\n",
        encoding="utf-8",
    )
    watched = "pydantic,pmp_reconcile.desired.schema,pmp_reconcile.workflows.reconcile"
    args = ("--sandbox", "plan", str(tree), "--offline")
    assert imported(*args, watched=watched, cwd=tmp_path) == ["pmp_reconcile.workflows.reconcile"]
    (tree / "experiences" / "finance.yaml").write_text("name: Finance\nstatus: live\n")  # D0xx
    loaded = imported(*args, watched=watched, cwd=tmp_path, expect_status=1)
    assert "pmp_reconcile.desired.schema" in loaded
