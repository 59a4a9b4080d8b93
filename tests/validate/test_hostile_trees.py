"""Trees a pull request could ship to hurt the reader: links leaving the tree, a link to a
device, a FIFO, a huge file, thousands of files sharing one name.

Each must make ``validate`` exit 1 quickly, name the offending file with its code, print no
traceback and never echo what lies outside the tree.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pmp_reconcile.desired.tree import MAX_FILE_BYTES

from clirun import run_cli

GOOD = "name: Finance\nstatus: enabled\n"
SECRET = "name: the-secret-outside\n"


def tree(root: Path) -> Path:
    directory = root / "tree"
    (directory / "experiences").mkdir(parents=True)
    (directory / "experiences" / "finance.yaml").write_text(GOOD, encoding="utf-8")
    (root / "outside.yaml").write_text(SECRET, encoding="utf-8")
    return directory


def link_products_to_zero(directory: Path) -> Path:
    (directory / "products.yaml").symlink_to("/dev/zero")
    return directory / "products.yaml"


def link_outside(directory: Path) -> Path:
    target = directory / "experiences" / "ops.yaml"
    target.symlink_to(directory.parent / "outside.yaml")
    return target


def fifo(directory: Path) -> Path:
    target = directory / "experiences" / "ops.yaml"
    os.mkfifo(target)
    return target


def huge(directory: Path) -> Path:
    target = directory / "experiences" / "ops.yaml"
    with target.open("w", encoding="utf-8") as handle:
        handle.write("name: Ops\n")
        line = "# " + "x" * 1021 + "\n"
        for _ in range(50 * 1024):
            handle.write(line)
    return target


def experiences_elsewhere(directory: Path) -> Path:
    elsewhere = directory.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "stolen.yaml").write_text(SECRET, encoding="utf-8")
    (directory / "experiences" / "finance.yaml").unlink()
    (directory / "experiences").rmdir()
    (directory / "experiences").symlink_to(elsewhere)
    return directory / "experiences"


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "symlink to /dev/zero": (link_products_to_zero, "D040"),
    "symlink out of the tree": (link_outside, "D040"),
    "fifo": (fifo, "D041"),
    "50 MB file": (huge, "D042"),
    "experiences/ links elsewhere": (experiences_elsewhere, "D040"),
}


def timed_validate(directory: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = run_cli("validate", str(directory), timeout=30)
    return done, time.monotonic() - started


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_is_refused_quickly_and_named(case: str, tmp_path: Path) -> None:
    make, code = HOSTILE[case]
    directory = tree(tmp_path)
    baseline = timed_validate(directory)[1]  # the interpreter's start-up on this machine, now
    offender = make(directory)
    done, elapsed = timed_validate(directory)
    assert done.returncode == 1, done.stdout + done.stderr
    # Under 5 s on an idle machine (about 2 s, nearly all start-up); on a loaded one the file
    # itself may add at most 3 s to a clean run (a 50 MB file took 21 s, /dev/zero forever).
    assert elapsed - baseline < 3, f"{case}: {elapsed:.1f} s against {baseline:.1f} s"
    output = done.stdout + done.stderr
    assert f"{offender}" in output
    assert code in output
    assert "the-secret-outside" not in output


def test_a_link_inside_the_tree_to_a_file_inside_it_is_read(tmp_path: Path) -> None:
    directory = tree(tmp_path)
    (directory / "shared").mkdir()
    (directory / "shared" / "ops.yaml").write_text("name: Ops\n", encoding="utf-8")
    (directory / "experiences" / "ops.yaml").symlink_to(directory / "shared" / "ops.yaml")
    done = run_cli("validate", str(directory))
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    directory = tree(tmp_path)
    text = "name: Ops\n" + "#" * (MAX_FILE_BYTES - 11) + "\n"
    assert len(text.encode()) == MAX_FILE_BYTES
    (directory / "experiences" / "ops.yaml").write_text(text, encoding="utf-8")
    done = run_cli("validate", str(directory))
    assert done.returncode == 0, done.stdout + done.stderr


def test_two_thousand_files_sharing_a_name_print_under_a_megabyte(tmp_path: Path) -> None:
    directory = tree(tmp_path)
    for index in range(2000):
        path = directory / "experiences" / f"same-{index:04d}.yaml"
        path.write_text("name: Same\n", encoding="utf-8")
    done = run_cli("validate", str(directory))
    assert done.returncode == 1
    output = done.stdout + done.stderr
    assert len(output.encode()) < 1024 * 1024
    assert output.count("D030") == 2000
    assert "and 1998 more" in output


def test_every_refusal_at_once_golden(tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    directory = tree(tmp_path)
    link_products_to_zero(directory)
    link_outside(directory)
    os.mkfifo(directory / "experiences" / "queue.yaml")
    big = directory / "experiences" / "big.yaml"
    big.write_bytes(b"name: Big\n" + b"#" * MAX_FILE_BYTES + b"\n")
    done = run_cli("validate", "tree", cwd=tmp_path)
    assert done.returncode == 1
    golden("desired/validate-hostile.txt", done.stdout + done.stderr)
