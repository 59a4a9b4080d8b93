"""``pmp-reconcile plan``: read live, compare with the tree, show (and save) the plan."""

from __future__ import annotations

from pathlib import Path

import click

from pmp_reconcile.apply.executor import Executor
from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.cli.app import DEFAULT_DIR, GlobalOptions, cli
from pmp_reconcile.cli.progress import LinePrinter
from pmp_reconcile.cli.session import target_of
from pmp_reconcile.errors import ExitCode
from pmp_reconcile.plan.render import OUTPUT_FORMATS, render
from pmp_reconcile.workflows import plan_directory, save_plan


@cli.command("plan")
@click.argument("directory", default=DEFAULT_DIR, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Save the plan.")
@click.option("--output", type=click.Choice(OUTPUT_FORMATS), default="text", show_default=True)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes.")
@click.option("--wait-for-pending", is_flag=True, help="Wait for open change sets first.")
@click.pass_obj
def plan_command(
    options: GlobalOptions,
    directory: Path,
    out: Path | None,
    output: str,
    detailed_exitcode: bool,
    wait_for_pending: bool,
) -> int:
    """Show what apply would change in the live marketplace."""

    def executor_for(api: CatalogApi) -> Executor:
        return Executor(api, progress=LinePrinter(options.color))

    plan = plan_directory(directory, target_of(options), executor_for if wait_for_pending else None)
    if out is not None:
        save_plan(plan, out)
    click.echo(render(plan.to_document(), output, color=options.color), nl=False)
    if detailed_exitcode and plan.has_changes:
        return ExitCode.CHANGES
    return ExitCode.OK
