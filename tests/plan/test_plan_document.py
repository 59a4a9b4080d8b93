"""The plan document (format_version 2): contents, round trip, digest and tamper detection."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from plan_builders import (
    ACCOUNT_A,
    ACCOUNT_B,
    OU,
    desired,
    have,
    live,
    plan_for,
    product,
    products,
    want,
)

from pmp_reconcile.model import Branding, Status, UnmanagedPolicy
from pmp_reconcile.plan.values import FORMAT_VERSION, Plan
from pmp_reconcile.views.plan import render_json

HERE = Path(__file__).parent


def sample_plan() -> Plan:
    return plan_for(
        desired(
            want("finance", status=Status.ENABLED, principals=[ACCOUNT_A], allowed=products(0, 60)),
            want("ops", principals=[OU], branding=Branding(title="Ops")),
            unmanaged=UnmanagedPolicy.WARN,
            aliases={"datadog": product(1)},
        ),
        live(
            have("exp-2", "Ops", principals=[OU, ACCOUNT_B], branding=Branding(title="Old")),
            have("exp-9", "Stray"),
        ),
    )


def test_document_has_the_documented_fields() -> None:
    document = sample_plan().to_document()
    assert list(document) == [
        "format_version",
        "catalog",
        "caller",
        "directory",
        "experiences",
        "waves",
        "revisions",
        "live_experiences",
        "live",
        "warnings",
        "aliases",
        "summary",
        "digest",
    ]
    assert document["format_version"] == FORMAT_VERSION == 2
    assert document["catalog"] == "AWSMarketplace"
    assert document["summary"]["has_changes"] is True
    assert document["aliases"] == {product(1): "datadog"}
    assert document["live_experiences"] == ["exp-2", "exp-9"]
    assert document["revisions"] == {
        "exp-2": "3",
        "procpolicy-2": "2",
        "brandsettings-2": "1",
        "audience-2": "4",
        "exp-9": "3",
        "procpolicy-9": "2",
    }
    assert document["live"] == {
        "exp-2": {
            "name": "Ops",
            "status": "disabled",
            "software_requests": "allow",
            "principals": [ACCOUNT_B, OU],
            "branding": {"title": "Old"},
        },
        "exp-9": {"name": "Stray", "status": "disabled", "software_requests": "allow"},
    }
    assert set(document["experiences"][0]) == {"key", "name", "id", "file", "status", "actions"}
    assert set(document["experiences"][0]["actions"][0]) == {
        "kind",
        "reason",
        "items",
        "before",
        "after",
        "high_impact",
    }
    assert document["experiences"][0]["file"] == "desired_state/experiences/finance.yaml"
    assert document["warnings"] == [
        {
            "code": "W101",
            "message": "live experience 'Stray' (exp-9) has no file in the desired state",
            "severity": "warning",
            "experience": "exp-9",
        }
    ]


def test_round_trip_through_json() -> None:
    plan = sample_plan()
    text = json.dumps(plan.to_document())
    again = Plan.from_document(json.loads(text))
    assert again == plan
    assert again.digest() == plan.digest()
    assert again.to_document() == plan.to_document()


def test_a_document_only_for_showing_leaves_out_the_recorded_live_values() -> None:
    plan = sample_plan()
    whole, shown = plan.to_document(), plan.to_document(recorded=False)
    assert whole["live"]
    assert whole["digest"] == plan.digest()
    assert (shown["live"], shown["digest"]) == ({}, "")
    assert set(shown) == set(whole)
    rest = {k: v for k, v in whole.items() if k not in ("live", "digest")}
    assert {k: v for k, v in shown.items() if k not in ("live", "digest")} == rest
    with pytest.raises(ValueError, match="digest"):  # it can never pass for a saved plan
        Plan.from_document(json.loads(json.dumps(shown)))


def test_the_json_text_is_the_document_with_one_line_per_recorded_experience() -> None:
    document = sample_plan().to_document()
    text = render_json(document)
    assert json.loads(text) == document
    assert '\n    "exp-2": {"name": "Ops", ' in text
    assert '\n    "exp-9": {"name": "Stray", ' in text
    skeleton = json.dumps({**document, "live": {}}, indent=2)
    assert text.count("\n") == skeleton.count("\n") + 3 + 1  # 2 records, a brace; the end
    shown = sample_plan().to_document(recorded=False)  # nothing recorded: indented throughout
    assert render_json(shown) == json.dumps(shown, indent=2, ensure_ascii=False) + "\n"


def test_the_commit_and_the_sandbox_are_recorded_only_when_set() -> None:
    plain = sample_plan()
    assert not {"commit", "sandbox"} & set(plain.to_document())
    made = replace(plain, commit="0a1b2c3", sandbox=True)
    document = made.to_document()
    assert (document["commit"], document["sandbox"]) == ("0a1b2c3", True)
    again = Plan.from_document(json.loads(json.dumps(document)))
    assert again == made
    assert made.digest() != plain.digest()


def test_digest_is_stable_and_of_the_content() -> None:
    first, second = sample_plan(), sample_plan()
    assert first.digest() == second.digest()
    assert len(first.digest()) == 64
    assert int(first.digest(), 16) >= 0
    assert first.to_document()["digest"] == first.digest()
    other = plan_for(want("finance"))
    assert other.digest() != first.digest()


def _tampered(edit: str) -> dict[str, Any]:
    document = copy.deepcopy(sample_plan().to_document())
    if edit == "details":
        change = document["waves"][0]["chains"][0]["change_sets"][0]["changes"][0]
        change["DetailsDocument"]["Principals"] = ["999999999999"]
    elif edit == "revision":
        document["revisions"]["exp-2"] = "4"
    elif edit == "recorded value":
        document["live"]["exp-2"]["name"] = "Ops by hand"
    elif edit == "warning-dropped":
        document["warnings"] = []
    elif edit == "digest":
        document["digest"] = "0" * 64
    elif edit == "no-digest":
        del document["digest"]
    return document


@pytest.mark.parametrize(
    "edit", ["details", "revision", "recorded value", "warning-dropped", "digest", "no-digest"]
)
def test_an_edited_document_is_refused(edit: str) -> None:
    with pytest.raises(ValueError, match="plan digest does not match its content"):
        Plan.from_document(_tampered(edit))


@pytest.mark.parametrize("version", [3, "2", None])
def test_another_format_version_is_refused(version: object) -> None:
    document = sample_plan().to_document()
    document["format_version"] = version
    with pytest.raises(ValueError, match=f"format_version {version!r} is not 2"):
        Plan.from_document(document)


@pytest.mark.parametrize("version", [0, 1])
def test_an_older_format_is_refused_as_older(version: int) -> None:
    document = sample_plan().to_document()
    document["format_version"] = version
    with pytest.raises(ValueError, match=f"format_version {version}, written by an older"):
        Plan.from_document(document)


def test_missing_format_version_is_refused() -> None:
    document = sample_plan().to_document()
    del document["format_version"]
    with pytest.raises(ValueError, match="format_version"):
        Plan.from_document(document)


def test_has_changes_is_derived_not_read() -> None:
    document = sample_plan().to_document()
    document["summary"]["has_changes"] = False
    assert Plan.from_document(document).has_changes is True


_DIGEST_SCRIPT = """
import sys
sys.path.insert(0, sys.argv[1])
from test_plan_document import sample_plan
print(sample_plan().digest())
"""


def test_digest_does_not_depend_on_hash_seeds() -> None:
    """Sets are everywhere in the model; their iteration order must never reach the plan."""
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", _DIGEST_SCRIPT, str(HERE)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(result.stdout.strip())
    assert digests == {sample_plan().digest()}


GOLDEN_PLANS = sorted((HERE.parent / "golden" / "plan").glob("*.json"))


@pytest.mark.parametrize(
    "path", [p for p in GOLDEN_PLANS if "digest" in json.loads(p.read_text())], ids=lambda p: p.name
)
def test_a_saved_plan_loads_and_writes_back_byte_for_byte(path: Path) -> None:
    """The saved plans of the goldens pass their digest check and are written back as read."""
    text = path.read_text()
    assert render_json(Plan.from_document(json.loads(text)).to_document()) == text


def _malformed(edit: str) -> dict[str, Any]:
    document = json.loads(json.dumps(sample_plan().to_document()))
    if edit == "experiences.0.status":
        document["experiences"][0]["status"] = "bogus"
    elif edit == "experiences.0.colour":
        document["experiences"][0]["colour"] = "red"
    elif edit == "experiences.0.name":
        del document["experiences"][0]["name"]
    elif edit == "live.exp-2.allowed":
        document["live"]["exp-2"]["allowed"] = 5
    elif edit == "summary.create":
        document["summary"]["create"] = "many"
    elif edit == "waves":
        document["waves"] = {}
    return document


@pytest.mark.parametrize(
    "where",
    [
        "experiences.0.status",
        "experiences.0.colour",
        "experiences.0.name",
        "live.exp-2.allowed",
        "summary.create",
        "waves",
    ],
)
def test_a_malformed_document_is_refused_saying_where(where: str) -> None:
    """A value missing, unknown or of the wrong type is refused before the digest is checked."""
    with pytest.raises(ValueError, match=f"1 validation error for Plan\n{where}\n"):
        Plan.from_document(_malformed(where))
