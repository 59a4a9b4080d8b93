"""``pmp-reconcile explain``: which experience governs an account or OU, and why."""

from __future__ import annotations

from pathlib import Path

import click

from pmp_reconcile.cli.app import DEFAULT_DIR, GlobalOptions, cli
from pmp_reconcile.errors import ExitCode, UsageError
from pmp_reconcile.views.formats import EXPLAIN_FORMATS, OutputFormat, names

ORG_FILE_HELP = "Organization tree as JSON instead of reading AWS Organizations."


@cli.command("explain")
@click.argument("arguments", nargs=-1, metavar="ACCOUNT_ID [DIR]")
@click.option("--ou", "ou_id", metavar="OU_ID", help="Explain an OU instead of an account.")
@click.option("--product", metavar="ID|ALIAS", help="Say whether this product may be bought.")
@click.option("--live", is_flag=True, help="Use the live marketplace instead of the tree.")
@click.option("--org-file", type=click.Path(path_type=Path, dir_okay=False), help=ORG_FILE_HELP)
@click.option(
    "--output", type=click.Choice(names(EXPLAIN_FORMATS)), default="text", show_default=True
)
@click.pass_obj
def explain_command(
    options: GlobalOptions,
    arguments: tuple[str, ...],
    ou_id: str | None,
    product: str | None,
    live: bool,
    org_file: Path | None,
    output: str,
) -> int:
    """Show which experience governs ACCOUNT_ID (or --ou OU_ID): the walk up the organization.

    The desired tree in DIR (default desired_state) is used unless --live.
    """
    from pmp_reconcile.cli.session import org_source_of, target_of  # boto3: loaded on use
    from pmp_reconcile.views import explain as explain_view
    from pmp_reconcile.workflows.explain import ExplainRequest, explain

    node_id, directory = _positionals(arguments, ou_id)
    request = ExplainRequest(node_id, directory, live=live, product=product)
    explanation = explain(request, target_of(options), org_source_of(options, org_file))
    click.echo(explain_view.render_explanation(explanation, OutputFormat(output)), nl=False)
    return ExitCode.OK


def _positionals(arguments: tuple[str, ...], ou_id: str | None) -> tuple[str, Path]:
    """ACCOUNT_ID [DIR], or just [DIR] with --ou."""
    from pmp_reconcile.model import node_kind  # the model's classes: not for --help

    if ou_id is None and not arguments:
        raise UsageError("missing ACCOUNT_ID", hint="usage: explain ACCOUNT_ID [DIR]")
    if ou_id and arguments and node_kind(arguments[0]) is not None:
        raise UsageError(
            f"{arguments[0]} and --ou {ou_id}: explain one of them at a time",
            hint=f"explain {arguments[0]} [DIR], or explain --ou {ou_id} [DIR]",
        )
    expected = 1 if ou_id else 2
    if len(arguments) > expected:
        usage = "explain [--ou OU_ID] [DIR]" if ou_id else "explain ACCOUNT_ID [DIR]"
        raise UsageError(f"unexpected arguments: {' '.join(arguments)}", hint=f"usage: {usage}")
    rest = arguments if ou_id else arguments[1:]
    node_id = ou_id or arguments[0]
    return node_id, Path(rest[0]) if rest else Path(DEFAULT_DIR)
