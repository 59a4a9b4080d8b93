"""``pmp-reconcile plan``: read live, compare with the tree, show (and save) the plan."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pmp_reconcile.cli.app import DEFAULT_DIR, GlobalOptions, cli, commit_option
from pmp_reconcile.cli.outputs import check_writable
from pmp_reconcile.collector import collector_paused
from pmp_reconcile.errors import ExitCode
from pmp_reconcile.views.formats import PLAN_FORMATS, OutputFormat, names

if TYPE_CHECKING:  # imported when the command runs: boto3 and pydantic are slow to import
    from pmp_reconcile.apply.executor import Progress
    from pmp_reconcile.org.impact import OrgImpact
    from pmp_reconcile.plan.document import PlanDocument
    from pmp_reconcile.plan.values import Plan
    from pmp_reconcile.workflows import Target


@cli.command("plan")
@click.argument("directory", default=DEFAULT_DIR, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Save the plan.")
@click.option("--output", type=click.Choice(names(PLAN_FORMATS)), default="text", show_default=True)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes.")
@click.option("--wait-for-pending", is_flag=True, help="Wait for open change sets first.")
@click.option("--org-impact", is_flag=True, help="List the accounts and OUs the plan affects.")
@click.option(
    "--org-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Organization tree as JSON instead of reading AWS Organizations.",
)
@click.option("--refresh-products", is_flag=True, help="Ask Discovery again (ignore the cache).")
@commit_option
@click.option("--offline", is_flag=True, help="Do not fetch the logo URLs the plan would send.")
@click.option(
    "--changed-outside",
    is_flag=True,
    help="Name the change sets made outside git on the experiences the plan changes.",
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
    refresh_products: bool,
    commit: str | None,
    offline: bool,
    changed_outside: bool,
) -> int:
    """Show what apply would change in the live marketplace."""
    # The imports and the plan build what the command keeps to its end: no collection walks
    # them while they are made (cycles are still collected afterwards).
    with collector_paused():
        from pmp_reconcile.cli.session import target_of
        from pmp_reconcile.logos import LogoChecker
        from pmp_reconcile.workflows import PlanOptions, plan_directory, save_document

        check_writable(out, "--out")
        progress = _progress(options) if wait_for_pending else None
        reading = PlanOptions(wait_for_pending, progress=progress)
        impact: OrgImpact | None = None
        logos = None if offline else LogoChecker()
        target = target_of(options, refresh_products=refresh_products, commit=commit, logos=logos)
        if org_impact:
            from pmp_reconcile.cli.session import org_source_of
            from pmp_reconcile.workflows.org_impact import plan_with_impact

            source = org_source_of(options, org_file)
            plan, impact = plan_with_impact(directory, target, source, reading)
        else:
            plan = plan_directory(directory, target, reading)
        shown = OutputFormat(output)
        # The live values a plan records are for applying it: a saved plan, or one printed as JSON.
        document = plan.to_document(recorded=out is not None or shown is OutputFormat.JSON)
        if out is not None:
            save_document(document, out)
        text = _rendered(document, impact, shown, options.color)
        if changed_outside:
            text = _with_changed_outside(text, plan, target, shown)
        click.echo(text, nl=False)
        if detailed_exitcode and plan.drifted:
            return ExitCode.CHANGES
        return ExitCode.OK


def _progress(options: GlobalOptions) -> Progress:
    """Lines for the change sets waited for (only ``--wait-for-pending`` waits)."""
    from pmp_reconcile.cli.progress import LinePrinter

    return LinePrinter(options.color)


def _rendered(
    document: PlanDocument, impact: OrgImpact | None, output: OutputFormat, color: bool
) -> str:
    """The plan, with the organization impact as an extra member or section when asked."""
    from pmp_reconcile.views import plan as plan_view

    if impact is None:
        return plan_view.render(document, output, color=color)
    return plan_view.render_with_impact(document, impact, output, color=color)


def _with_changed_outside(text: str, plan: Plan, target: Target, output: OutputFormat) -> str:
    """The rendered plan and the change sets made outside git on what it changes."""
    from pmp_reconcile.model import Caller
    from pmp_reconcile.views.outside import with_outside
    from pmp_reconcile.workflows.outside_git import changed_outside_document

    found = changed_outside_document(plan, target.api_for(Caller(plan.caller)))
    return with_outside(text, found, output)
