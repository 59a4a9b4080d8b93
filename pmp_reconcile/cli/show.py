"""``pmp-reconcile show``: a saved plan rendered again, without reading AWS or the tree."""

from __future__ import annotations

from pathlib import Path

import click

from pmp_reconcile.cli.app import GlobalOptions, cli
from pmp_reconcile.errors import ExitCode
from pmp_reconcile.views.formats import PLAN_FORMATS, OutputFormat, names


@cli.command("show")
@click.argument("plan_file", metavar="PLAN.json", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--output", type=click.Choice(names(PLAN_FORMATS)), default="text", show_default=True)
@click.pass_obj
def show_command(options: GlobalOptions, plan_file: Path, output: str) -> int:
    """Show a plan saved by `plan --out` (checked as `apply --plan` checks it)."""
    from pmp_reconcile.views.saved_plan import render_saved_plan
    from pmp_reconcile.workflows import load_plan

    document = load_plan(plan_file).to_document()
    click.echo(render_saved_plan(document, OutputFormat(output), options.color), nl=False)
    return ExitCode.OK
