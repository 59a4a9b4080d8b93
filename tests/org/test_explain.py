"""explain on a 5-level OU tree (moto) with disabled experiences at several levels, direct
account associations and the organization itself; from the desired tree and from live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from moto_org import Org

from pmp_reconcile.catalog.client import ConnectionOptions
from pmp_reconcile.errors import OrganizationMismatch, UsageError
from pmp_reconcile.model import Caller
from pmp_reconcile.org.reader import ORGANIZATIONS_RATE
from pmp_reconcile.views.explain import render_explanation_text
from pmp_reconcile.workflows.explain import ExplainRequest, explain
from pmp_reconcile.workflows.org_tree import org_source, organizations_reader
from pmp_reconcile.workflows.reconcile import Target

from rig import Rig

SHARED = "prod-sharedsharedsh"
LEVEL2 = "prod-leveltwolevelt"


def experience(name: str, principals: list[str], status: str = "enabled", **extra: Any) -> str:
    lines = [f"name: {name}", f"status: {status}", "principals:"]
    lines += [f'  - "{p}"' for p in principals]
    for key, value in extra.items():
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


def write_tree(root: Path, org: Org, organization_id: str | None = None) -> Path:
    """org-wide (enabled) ← ou1 (disabled) ; ou2 (enabled) ← ou3 (archived) ← ou4 (disabled);
    deep has a disabled direct association, side a live one."""
    tree = root / "desired_state"
    (tree / "experiences").mkdir(parents=True)
    (tree / "products.yaml").write_text(f"products:\n  shared: {SHARED}\n", encoding="utf-8")
    if organization_id:
        (tree / "pmp.yaml").write_text(f"organization_id: {organization_id}\n", encoding="utf-8")
    ou = org.ous
    files = {
        "everyone": experience(
            "Everyone", [org.organization_id], products=f"{{allow: [{SHARED}]}}"
        ),
        "level-one": experience("Level one", [ou[0]], status="disabled"),
        "level-two": experience("Level two", [ou[1]], products=f"{{allow: [{LEVEL2}]}}"),
        "level-three": experience("Level three", [ou[2]], status="disabled", archived="true"),
        "level-four": experience("Level four", [ou[3]], status="disabled"),
        "deep-direct": experience("Deep direct", [org.accounts["deep"]], status="disabled"),
        "side-direct": experience("Side direct", [org.accounts["side"]]),
    }
    for key, text in files.items():
        (tree / "experiences" / f"{key}.yaml").write_text(text, encoding="utf-8")
    return tree


def no_catalog(caller: Caller) -> Any:
    raise AssertionError("the desired tree needs no Catalog API call")


def run(tree: Path, node: str, **request: Any) -> dict[str, Any]:
    target = Target(api_for=no_catalog)
    result = explain(
        ExplainRequest(node, tree, **request), target, org_source(ConnectionOptions(), None)
    )
    return result.to_document()


def test_deep_account_skips_its_disabled_association_and_three_disabled_levels(
    tmp_path: Path, org: Org
) -> None:
    document = run(write_tree(tmp_path, org), org.accounts["deep"], product="shared")
    assert document["account_id"] == org.accounts["deep"]
    ou = org.ous
    assert document["path"] == [
        {"id": org.accounts["deep"], "type": "account", "experience": "deep-direct"},
        {"id": ou[4], "type": "ou", "experience": None},
        {"id": ou[3], "type": "ou", "experience": "level-four"},
        {"id": ou[2], "type": "ou", "experience": "level-three"},
        {"id": ou[1], "type": "ou", "experience": "level-two"},
    ]
    assert document["governing_experience"] == {"key": "level-two", "name": "Level two", "id": None}
    assert document["product"] == {
        "id": SHARED,
        "allowed": False,
        "reason": "not allowed in experience 'level-two'; users may request it",
    }


@pytest.mark.parametrize(
    ("account", "governing", "levels"),
    [
        ("deep2", "level-two", 5),
        ("three", "level-two", 3),
        ("one", "everyone", 4),  # one → ou1 (disabled) → root → organization
        ("top", "everyone", 3),  # top → root → organization
        ("side", "side-direct", 1),
    ],
)
def test_each_account_finds_the_closest_live_experience(
    tmp_path: Path, org: Org, account: str, governing: str, levels: int
) -> None:
    document = run(write_tree(tmp_path, org), org.accounts[account])
    assert document["governing_experience"]["key"] == governing
    assert len(document["path"]) == levels
    assert "product" not in document


def test_organization_association_and_root_in_the_walk(tmp_path: Path, org: Org) -> None:
    document = run(write_tree(tmp_path, org), org.accounts["top"], product="shared")
    assert [(s["type"], s["experience"]) for s in document["path"]] == [
        ("account", None),
        ("root", None),
        ("organization", "everyone"),
    ]
    assert document["product"]["allowed"] is True


def test_an_ou_is_explained_with_ou_id(tmp_path: Path, org: Org) -> None:
    document = run(write_tree(tmp_path, org), org.ous[3])
    assert document["ou_id"] == org.ous[3]
    assert document["governing_experience"]["key"] == "level-two"


def test_text_shows_each_level_and_what_was_skipped(tmp_path: Path, org: Org) -> None:
    target = Target(api_for=no_catalog)
    request = ExplainRequest(org.accounts["deep"], write_tree(tmp_path, org), product=LEVEL2)
    text = render_explanation_text(explain(request, target, org_source(ConnectionOptions(), None)))
    assert "deep-direct (disabled: skipped)" in text
    assert "level-three (archived: skipped)" in text
    assert "level-two <- governs" in text
    assert f"product {LEVEL2}: allowed (allowed in experience 'level-two')" in text


def test_live_marketplace_with_no_policy_and_no_file(tmp_path: Path, org: Org) -> None:
    rig = Rig()
    rig.marketplace.seed(
        {
            "experiences": [
                {"name": "Open", "status": "Enabled", "audiences": [{"principals": [org.ous[1]]}]},
                {
                    "name": "Strict",
                    "status": "Disabled",
                    "procurement_policy": {"requests": "Deny", "allow": [LEVEL2]},
                    "audiences": [{"principals": [org.ous[3]]}],
                },
            ]
        }
    )
    target = Target(api_for=lambda caller: rig.api)
    request = ExplainRequest(org.accounts["deep"], tmp_path / "absent", live=True, product=SHARED)
    document = explain(request, target, org_source(ConnectionOptions(), None)).to_document()
    governing = document["governing_experience"]
    assert governing["name"] == "Open"
    assert governing["key"] is None
    assert governing["id"].startswith("exp-")
    assert document["path"][2]["experience"].startswith("exp-")  # Strict, disabled: skipped
    assert document["product"]["allowed"] is True
    assert "no procurement policy" in document["product"]["reason"]


def test_live_experiences_take_their_file_keys(tmp_path: Path, org: Org) -> None:
    tree = write_tree(tmp_path, org)
    rig = Rig()
    rig.marketplace.seed(
        {
            "experiences": [
                {
                    "name": "Level two",
                    "status": "Enabled",
                    "procurement_policy": {"requests": "Allow"},
                    "audiences": [{"principals": [org.ous[1]]}],
                }
            ]
        }
    )
    request = ExplainRequest(org.accounts["three"], tree, live=True)
    document = explain(
        request, Target(api_for=lambda c: rig.api), org_source(ConnectionOptions(), None)
    )
    assert document.to_document()["governing_experience"]["key"] == "level-two"


def test_bad_input_fails_before_any_call(tmp_path: Path, org: Org) -> None:
    tree = write_tree(tmp_path, org)
    with pytest.raises(UsageError, match="not an account or ou id"):
        run(tree, "r-ab12")
    with pytest.raises(UsageError, match="neither a product id nor an alias"):
        run(tree, org.accounts["top"], product="shr aed")
    with pytest.raises(UsageError, match="AccountNotFound"):
        run(tree, "999999999999")
    with pytest.raises(UsageError, match="NotFound") as unknown_ou:
        run(tree, "ou-zzzz-zzzzzzzz")
    assert unknown_ou.value.hint is not None
    assert "account or OU id" in unknown_ou.value.hint


def test_the_tree_guard_names_another_organization(tmp_path: Path, org: Org) -> None:
    tree = write_tree(tmp_path, org, organization_id="o-zzzzzzzzzz")
    (tree / "experiences" / "everyone.yaml").unlink()  # validation refuses the other org's id
    with pytest.raises(OrganizationMismatch):
        run(tree, org.accounts["top"])


def test_an_organization_answered_in_process_is_read_unpaced_and_aws_is_paced() -> None:
    """The sandbox's organization has no quota to keep under; AWS's keeps its bucket."""
    in_process = organizations_reader(ConnectionOptions(), transport=lambda client: None)
    assert in_process.limiter.rates == {}
    assert organizations_reader(ConnectionOptions()).limiter.rates == {
        "Organizations": ORGANIZATIONS_RATE
    }
