"""``pmp-reconcile plan``: read live, compare with the tree, show (and save) the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pmp_reconcile.apply.executor import Executor
from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.cli.app import DEFAULT_DIR, GlobalOptions, cli
from pmp_reconcile.cli.progress import LinePrinter
from pmp_reconcile.cli.session import org_source_of, target_of
from pmp_reconcile.errors import ExitCode
from pmp_reconcile.org.impact import OrgImpact
from pmp_reconcile.plan.render import OUTPUT_FORMATS, render
from pmp_reconcile.views.impact_tables import (
    impact_document,
    render_impact_markdown,
    render_impact_text,
)
from pmp_reconcile.workflows import plan_directory, save_plan
from pmp_reconcile.workflows.org_impact import plan_with_impact


@cli.command("plan")
@click.argument("directory", default=DEFAULT_DIR, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Save the plan.")
@click.option("--output", type=click.Choice(OUTPUT_FORMATS), default="text", show_default=True)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes.")
@click.option("--wait-for-pending", is_flag=True, help="Wait for open change sets first.")
@click.option("--org-impact", is_flag=True, help="List the accounts and OUs the plan affects.")
@click.option(
    "--org-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Organization tree as JSON instead of reading AWS Organizations.",
)
@click.pass_obj
def plan_command(
    options: GlobalOptions,
    directory: Path,
    out: Path | None,
    output: str,
    detailed_exitcode: bool,
    wait_for_pending: bool,
    org_impact: bool,
    org_file: Path | None,
) -> int:
    """Show what apply would change in the live marketplace."""

    def executor_for(api: CatalogApi) -> Executor:
        return Executor(api, progress=LinePrinter(options.color))

    waiting = executor_for if wait_for_pending else None
    impact: OrgImpact | None = None
    if org_impact:
        source = org_source_of(options, org_file)
        plan, impact = plan_with_impact(directory, target_of(options), source, waiting)
    else:
        plan = plan_directory(directory, target_of(options), waiting)
    if out is not None:
        save_plan(plan, out)
    click.echo(_rendered(plan.to_document(), impact, output, options.color), nl=False)
    if detailed_exitcode and plan.has_changes:
        return ExitCode.CHANGES
    return ExitCode.OK


def _rendered(document: dict[str, Any], impact: OrgImpact | None, output: str, color: bool) -> str:
    """The plan, with the organization impact as an extra member or section when asked."""
    if impact is None:
        return render(document, output, color=color)
    if output == "json":
        return render({**document, "org_impact": impact_document(impact)}, output)
    if output == "markdown":
        return render(document, output) + render_impact_markdown(impact, document["aliases"])
    return render(document, output, color=color) + render_impact_text(impact, document["aliases"])
