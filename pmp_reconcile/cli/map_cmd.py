"""``pmp-reconcile map``: the whole governance tree, as text, a mermaid flowchart, or JSON."""

from __future__ import annotations

from pathlib import Path

import click

from pmp_reconcile.cli.app import DEFAULT_DIR, GlobalOptions, cli
from pmp_reconcile.errors import ExitCode
from pmp_reconcile.views.formats import MAP_FORMATS, OutputFormat, names

ORG_FILE_HELP = "Organization tree as JSON instead of reading AWS Organizations."


@cli.command("map")
@click.argument("directory", default=DEFAULT_DIR, type=click.Path(path_type=Path))
@click.option("--live", is_flag=True, help="Use the live marketplace instead of the tree.")
@click.option("--org-file", type=click.Path(path_type=Path, dir_okay=False), help=ORG_FILE_HELP)
@click.option("--output", type=click.Choice(names(MAP_FORMATS)), default="text", show_default=True)
@click.pass_obj
def map_command(
    options: GlobalOptions, directory: Path, live: bool, org_file: Path | None, output: str
) -> int:
    """Draw which experience governs every OU and account of the organization.

    The desired tree in DIRECTORY (default desired_state) is used unless --live.
    """
    from pmp_reconcile.cli.session import org_source_of, target_of  # boto3: loaded on use
    from pmp_reconcile.views import governance_map as map_view
    from pmp_reconcile.workflows.governance_map import MapRequest, map_governance

    request = MapRequest(directory, live=live)
    governance = map_governance(request, target_of(options), org_source_of(options, org_file))
    click.echo(map_view.render_map(governance, OutputFormat(output)), nl=False)
    return ExitCode.OK
