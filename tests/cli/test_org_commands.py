"""iam-policy, explain and plan --org-impact as users run them: a subprocess.

The organization comes from ``--org-file`` and the marketplace from the persistent sandbox, so
no AWS call leaves the machine (moto-backed paths are tested in process under tests/org/).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pmp_reconcile.org.policies import pmp_change_types
from pmp_reconcile.sandbox import PersistentSandbox, Progression, SandboxSettings, StateOptions

from clirun import run_cli

ORG_ID = "o-abcdefghij"
ROOT = "r-ab12"
OU_A, OU_B = "ou-ab12-aaaaaaaa", "ou-ab12-bbbbbbbb"
A1, B1, TOP = "111111111111", "333333333333", "444444444444"
ORG_TREE = {
    "organization_id": ORG_ID,
    "root": {
        "id": ROOT,
        "children": [
            {"id": OU_A, "children": [{"id": A1}, {"id": OU_B, "children": [{"id": B1}]}]},
            {"id": TOP},
        ],
    },
}
P1, P2 = "prod-one1one1one1o", "prod-two2two2two2t"
FINANCE = f"""\
name: Finance
status: enabled
principals: ["{OU_A}"]
products:
  allow: [{P1}, {P2}]
"""
RESEARCH = f"""\
name: Research
status: disabled
principals: ["{OU_B}"]
"""
SEED = {
    "experiences": [
        {
            "name": "Finance",
            "status": "Enabled",
            "procurement_policy": {"requests": "Allow", "allow": [P1]},
            "audiences": [{"principals": [OU_A]}],
        }
    ]
}


run = run_cli


@pytest.fixture
def org_file(tmp_path: Path) -> Path:
    path = tmp_path / "org.json"
    path.write_text(json.dumps(ORG_TREE), encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "desired_state"
    (root / "experiences").mkdir(parents=True)
    (root / "products.yaml").write_text(f"products:\n  two: {P2}\n", encoding="utf-8")
    (root / "experiences" / "finance.yaml").write_text(FINANCE, encoding="utf-8")
    (root / "experiences" / "research.yaml").write_text(RESEARCH, encoding="utf-8")
    return root


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "sandbox"
    sandbox = PersistentSandbox(path)
    immediate = StateOptions(progression=Progression(mode="immediate"))
    sandbox.save_settings(SandboxSettings(state=immediate))
    sandbox.reset(SEED)
    return path


POLICY_CASES = {
    "plan": ("--role", "plan"),
    "apply": ("--role", "apply"),
    "bootstrap": ("--role", "bootstrap", "--account-id", "111122223333"),
    "plan-github": ("--role", "plan", "--github-repo", "acme/pmp-config"),
    "apply-github": (
        "--role",
        "apply",
        "--github-repo",
        "acme/pmp-config",
        "--account-id",
        "111122223333",
        "--environment",
        "production",
    ),
}


@pytest.mark.parametrize("case", list(POLICY_CASES))
def test_iam_policy_golden(case: str, golden: Callable[[str, str], None]) -> None:
    done = run("iam-policy", *POLICY_CASES[case])
    assert done.returncode == 0, done.stderr
    json.loads(done.stdout)
    golden(f"org/iam-policy-{case}.json", done.stdout)


def actions(document: dict[str, Any]) -> set[str]:
    return {a for s in document["Statement"] for a in s["Action"]}


def test_plan_role_reads_only_and_apply_is_scoped() -> None:
    plan = json.loads(run("iam-policy", "--role", "plan").stdout)
    reads = ("List", "Describe", "Get", "Search")  # Get/Search: the Discovery API, read only
    assert all(a.split(":")[1].startswith(reads) for a in actions(plan))
    assert "aws-marketplace:DescribeChangeSet" not in actions(plan)
    apply = json.loads(run("iam-policy", "--role", "apply").stdout)
    assert actions(apply) - actions(plan) == {
        "aws-marketplace:StartChangeSet",
        "aws-marketplace:DescribeChangeSet",
    }
    (start,) = [s for s in apply["Statement"] if "aws-marketplace:StartChangeSet" in s["Action"]]
    assert len(start["Condition"]["StringEquals"]["catalog:ChangeType"]) == 12
    assert set(start["Condition"]["StringEquals"]["catalog:ChangeType"]) == set(pmp_change_types())
    assert start["Condition"]["ForAllValues:StringEquals"]["aws:TagKeys"] == [
        "pmp-reconcile:commit",
        "pmp-reconcile:run",
    ]
    assert [r.rsplit("/", 2)[1] for r in start["Resource"]] == ["Experience"]
    (follow,) = [
        s for s in apply["Statement"] if "aws-marketplace:DescribeChangeSet" in s["Action"]
    ]
    assert follow["Resource"].endswith(":AWSMarketplace/ChangeSet/*")
    (describe,) = [s for s in plan["Statement"] if "aws-marketplace:DescribeEntity" in s["Action"]]
    assert sorted(r.rsplit("/", 2)[1] for r in describe["Resource"]) == [
        "Audience",
        "BrandingSettings",
        "Experience",
        "ProcurementPolicy",
    ]
    assert "aws-marketplace:CancelChangeSet" not in actions(apply)


SUB = "token.actions.githubusercontent.com:sub"
CUSTOMIZE = (
    "gh api --method PUT repos/acme/pmp/actions/oidc/customization/sub -F use_default=false "
    "-f 'include_claim_keys[]=repo' -f 'include_claim_keys[]=context' "
    "-f 'include_claim_keys[]=job_workflow_ref'"
)


def test_plan_trust_admits_pull_requests_drift_and_apply_plans_in_both_subject_forms() -> None:
    plan = json.loads(run("iam-policy", "--role", "plan", "--github-repo", "acme/pmp").stdout)
    condition = plan["trust_policy"]["Statement"][0]["Condition"]
    assert condition["StringLike"][SUB] == [
        "repo:acme/pmp:pull_request",
        "repo:acme/pmp:ref:refs/heads/main",
        "repo:acme/pmp:pull_request:job_workflow_ref:"
        "acme/pmp/.github/workflows/plan.yml@refs/pull/*/merge",
        "repo:acme/pmp:ref:refs/heads/main:job_workflow_ref:"
        "acme/pmp/.github/workflows/drift.yml@refs/heads/main",
        "repo:acme/pmp:ref:refs/heads/main:job_workflow_ref:"
        "acme/pmp/.github/workflows/apply.yml@refs/heads/main",
    ]
    assert condition["StringEquals"] == {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"
    }


def test_apply_trust_admits_only_the_apply_workflow_on_main_in_the_environment() -> None:
    done = run(
        "iam-policy", "--role", "apply", "--github-repo", "acme/pmp", "--account-id", "123456789012"
    )
    apply = json.loads(done.stdout)
    condition = apply["trust_policy"]["Statement"][0]["Condition"]
    assert list(condition) == ["StringEquals"]
    assert condition["StringEquals"][SUB] == [
        "repo:acme/pmp:environment:pmp-apply:job_workflow_ref:"
        "acme/pmp/.github/workflows/apply.yml@refs/heads/main"
    ]
    assert apply["github_oidc_subject"] == {
        "include_claim_keys": ["repo", "context", "job_workflow_ref"],
        "command": CUSTOMIZE,
    }
    assert CUSTOMIZE in done.stderr


@pytest.mark.parametrize("flag", [(), ("--allow-any-branch",)])
def test_apply_trust_note_golden(flag: tuple[str, ...], golden: Callable[[str, str], None]) -> None:
    done = run("iam-policy", "--role", "apply", "--github-repo", "acme/pmp", *flag)
    assert done.returncode == 0, done.stderr
    name = "any-branch" if flag else "customized"
    golden(f"org/iam-policy-apply-note-{name}.txt", done.stderr)


def test_apply_trust_on_the_default_subject_only_when_asked_and_says_why() -> None:
    done = run("iam-policy", "--role", "apply", "--github-repo", "acme/pmp", "--allow-any-branch")
    assert done.returncode == 0, done.stderr
    apply = json.loads(done.stdout)
    condition = apply["trust_policy"]["Statement"][0]["Condition"]["StringEquals"]
    assert condition[SUB] == ["repo:acme/pmp:environment:pmp-apply"]
    assert "github_oidc_subject" not in apply
    assert "names no branch" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--role", "plan", "--github-repo", "acme"), "is not a GitHub repository"),
        (("--role", "apply", "--github-repo", "acme/.."), "is not a GitHub repository"),
        (("--role", "plan", "--github-repo", "acme/pmp", "--environment", "x"), "no use for it"),
        (("--role", "plan", "--allow-any-branch"), "no use for it"),
        (("--role", "apply", "--allow-any-branch"), "only --github-repo prints"),
        (("--role", "bootstrap", "--github-repo", "acme/pmp"), "not from CI"),
        (("--role", "apply", "--account-id", "12"), "is not an account id"),
        (
            (
                "--role",
                "admin",
            ),
            "Invalid value for '--role'",
        ),
    ],
)
def test_iam_policy_bad_input(args: tuple[str, ...], message: str) -> None:
    done = run("iam-policy", *args)
    assert done.returncode == 1
    assert message in done.stderr
    assert not done.stdout


def test_explain_text_and_json_from_the_tree(
    tree: Path, org_file: Path, golden: Callable[[str, str], None]
) -> None:
    text = run("explain", B1, str(tree), "--org-file", str(org_file), "--product", "two")
    assert text.returncode == 0, text.stderr
    golden("org/explain-b1.txt", text.stdout)
    as_json = run(
        "explain",
        B1,
        str(tree),
        "--org-file",
        str(org_file),
        "--product",
        "two",
        "--output",
        "json",
    )
    assert json.loads(as_json.stdout) == {
        "account_id": B1,
        "path": [
            {"id": B1, "type": "account", "experience": None},
            {"id": OU_B, "type": "ou", "experience": "research"},
            {"id": OU_A, "type": "ou", "experience": "finance"},
        ],
        "governing_experience": {"key": "finance", "name": "Finance", "id": None},
        "product": {"id": P2, "allowed": True, "reason": "allowed in experience 'finance'"},
    }


def test_explain_an_ou_and_an_ungoverned_account(tree: Path, org_file: Path) -> None:
    ou = json.loads(
        run(
            "explain", "--ou", OU_B, str(tree), "--org-file", str(org_file), "--output", "json"
        ).stdout
    )
    assert ou["ou_id"] == OU_B
    assert ou["governing_experience"]["key"] == "finance"
    top = json.loads(
        run("explain", TOP, str(tree), "--org-file", str(org_file), "--output", "json").stdout
    )
    assert top["governing_experience"] is None
    assert [s["type"] for s in top["path"]] == ["account", "root", "organization"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("12345",), "'12345' is not an account or ou id"),
        (("999999999999",), "999999999999 is not in organization o-abcdefghij"),
        ((A1, "--product", "no pe"), "neither a product id nor an alias"),
        ((), "missing ACCOUNT_ID"),
        ((A1, "--ou", OU_B), f"{A1} and --ou {OU_B}: explain one of them at a time"),
    ],
)
def test_explain_bad_input(tree: Path, org_file: Path, args: tuple[str, ...], message: str) -> None:
    positional = [*args[:1], str(tree)] if args else []
    done = run("explain", *positional, *args[1:], "--org-file", str(org_file))
    assert done.returncode == 1
    assert message in done.stderr


def test_explain_bad_org_file(tree: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"organization_id": "o-abcdefghij", "root": {"id": "r-ab12", '
        '"children": [{"id": "nope"}]}}',
        encoding="utf-8",
    )
    done = run("explain", A1, str(tree), "--org-file", str(bad))
    assert done.returncode == 1
    assert "'nope' is not an account or ou id" in done.stderr


def test_plan_org_impact_on_the_sandbox(
    tree: Path, org_file: Path, home: Path, golden: Callable[[str, str], None]
) -> None:
    common = ("--sandbox", "plan", str(tree), "--org-impact", "--org-file", str(org_file))
    text = run(*common, home=home)
    assert text.returncode == 0, text.stderr
    impact = text.stdout[text.stdout.index("Organization impact:") :]
    golden("org/plan-org-impact.txt", impact)
    document = json.loads(run(*common, "--output", "json", home=home).stdout)
    assert document["org_impact"]["experiences"] == {"finance": [A1, B1, OU_A, OU_B]}
    groups = document["org_impact"]["groups"]
    assert [(g["before"], g["after"], g["accounts"], g["ous"]) for g in groups] == [
        ("finance", "finance", [A1, B1], [OU_A, OU_B])
    ]
    golden("org/plan-org-impact.json", json.dumps(document["org_impact"], indent=2) + "\n")
    markdown = run(*common, "--output", "markdown", home=home).stdout
    section = markdown[markdown.index("### Organization impact") :]
    golden("org/plan-org-impact.md", section)
    plain = run("--sandbox", "plan", str(tree), home=home)
    assert "Organization impact" not in plain.stdout


def test_explain_an_account_and_an_ou_without_a_directory(org_file: Path) -> None:
    done = run("explain", A1, "--ou", OU_B, "--org-file", str(org_file))
    assert done.returncode == 1
    assert "is not a directory" not in done.stderr
    assert f"explain {A1} [DIR], or explain --ou {OU_B} [DIR]" in done.stderr
