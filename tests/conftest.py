"""Shared test plumbing: golden files (``pytest --update-golden`` rewrites them), and the
hypothesis profiles.

``make test`` and CI run the ``repeatable`` profile: derandomized (the same examples on every
run and machine) and with no example database, so a property that passes once passes always
and a failure found elsewhere is reproduced by the same command. ``HYPOTHESIS_PROFILE=explore``
searches at random with more examples, to look for new failures by hand.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from pmp_reconcile.desired import quick_check, yaml_marks

import clirun

GOLDEN_DIR = Path(__file__).parent / "golden"

settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", max_examples=500, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files with the current output instead of comparing",
    )
    parser.addoption(
        "--pure-yaml",
        action="store_true",
        default=False,
        help="compose YAML with PyYAML's pure-Python composer only (not libyaml), CLI runs too",
    )
    parser.addoption(
        "--schema-checks",
        action="store_true",
        default=False,
        help="check every tree file with the schema models (no quick check), in process",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--schema-checks"):
        quick_check.ENABLED = False
    if config.getoption("--pure-yaml"):
        yaml_marks.FAST_LOADER = None
        clirun.PURE_YAML = True


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare ``text`` with ``tests/golden/<name>``; rewrite it under ``--update-golden``."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, text: str) -> None:
        path = GOLDEN_DIR / name
        if update or not path.exists():
            if not update:
                pytest.fail(f"golden file {path} is missing; run pytest --update-golden")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"output differs from {path} (pytest --update-golden rewrites)"

    return check


@pytest.fixture(autouse=True)
def _product_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Each test keeps product facts in a cache of its own (never the checkout's .pmp-cache/)."""
    path = tmp_path_factory.mktemp("pmp-cache")
    monkeypatch.setenv("PMP_CACHE_HOME", str(path))
    return path
