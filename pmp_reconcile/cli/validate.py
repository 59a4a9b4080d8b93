"""``pmp-reconcile validate`` and ``schema``: check the tree offline; print the file schema."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pmp_reconcile.cli.app import DEFAULT_DIR, cli
from pmp_reconcile.errors import ExitCode
from pmp_reconcile.views.findings import counts, render_trees
from pmp_reconcile.views.formats import FINDINGS_FORMATS, OutputFormat, names


@cli.command("validate")
@click.argument("directories", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output", type=click.Choice(names(FINDINGS_FORMATS)), default="text", show_default=True
)
def validate_command(directories: tuple[Path, ...], output: str) -> int:
    """Check desired-state trees (default: desired_state; several, e.g. one per organization,
    in one call) and report every problem (never calls AWS)."""
    from pmp_reconcile.desired.loader import load_with_findings  # pydantic: only when it runs

    checked = [(str(d), load_with_findings(d)[1]) for d in directories or (Path(DEFAULT_DIR),)]
    click.echo(render_trees(checked, OutputFormat(output)), nl=False)
    errors = sum(counts(findings)[0] for _, findings in checked)
    return ExitCode.ERROR if errors else ExitCode.OK


#: ``schema --file`` choices, each with the file it is shipped as under schema/.
SCHEMA_CHOICES = ("experience", "products", "settings")


@cli.command("schema")
@click.option(
    "--file",
    "kind",
    type=click.Choice(SCHEMA_CHOICES),
    default="experience",
    show_default=True,
    help="Which file: experiences/<key>.yaml, products.yaml (and the files pmp.yaml "
    "includes), or pmp.yaml.",
)
def schema_command(kind: str) -> None:
    """Print the JSON Schema of a tree file (for editor completion)."""
    from pmp_reconcile.desired.schema import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2))
