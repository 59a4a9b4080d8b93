"""Trees that use sets from a products file outside them, as several organizations share one.

``common/products.yaml`` holds two aliases and two sets, one inside the other; a tree at
``orgs/one/desired_state`` includes it.
"""

from __future__ import annotations

from pathlib import Path

DATADOG = "prod-datadog0001"
SPLUNK = "3f1c2e4a-0b6d-4c8e-9a7f-1e2d3c4b5a69"
GUARD = "prod-guard000001"
GUARD_NOTE = "SR-7 security review"
COMMON = f"""\
products:
  datadog: {DATADOG}
  splunk: {SPLUNK}
sets:
  observability:
    - datadog
    - splunk
  baseline:
    - set: observability
    - id: {GUARD}
      notes: {GUARD_NOTE}
"""
TREE = "orgs/one/desired_state"


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def shared_tree(root: Path, experiences: dict[str, str]) -> Path:
    """``orgs/one/desired_state`` with these experience files (key → text), including
    ``common/products.yaml``."""
    files = {
        "common/products.yaml": COMMON,
        f"{TREE}/pmp.yaml": "include:\n  - ../../../common/products.yaml\n",
    }
    files |= {f"{TREE}/experiences/{key}.yaml": text for key, text in experiences.items()}
    write_files(root, files)
    return root / TREE
