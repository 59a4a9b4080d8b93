"""``pmp-reconcile validate`` and ``schema``: check the tree offline; print the file schema."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pmp_reconcile.cli.app import DEFAULT_DIR, cli, commit_option
from pmp_reconcile.errors import ExitCode
from pmp_reconcile.views.findings import counts, render_findings
from pmp_reconcile.views.formats import FINDINGS_FORMATS, OutputFormat, names


@cli.command("validate")
@click.argument("directory", default=DEFAULT_DIR, type=click.Path(path_type=Path))
@click.option(
    "--output", type=click.Choice(names(FINDINGS_FORMATS)), default="text", show_default=True
)
@commit_option
def validate_command(directory: Path, output: str, commit: str | None) -> int:
    """Check the desired-state tree and report every problem (never calls AWS).

    ``--output markdown`` writes the pull-request comment that replaces the plan's."""
    from pmp_reconcile.desired.loader import load_with_findings  # pydantic: only when it runs

    _, findings = load_with_findings(directory)
    shown = render_findings(findings, OutputFormat(output), str(directory), commit)
    click.echo(shown, nl=False)
    errors, _ = counts(findings)
    return ExitCode.ERROR if errors else ExitCode.OK


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of an experience file (for editor completion)."""
    from pmp_reconcile.desired.schema import experience_json_schema

    click.echo(json.dumps(experience_json_schema(), indent=2))
