"""``pmp-reconcile import``: write the live marketplace as a desired-state tree."""

from __future__ import annotations

from pathlib import Path

import click

from pmp_reconcile.cli.app import DEFAULT_DIR, GlobalOptions, LazyChoice, cli


def _callers() -> list[str]:
    from pmp_reconcile.model import Caller

    return [c.value for c in Caller]


@cli.command("import")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_DIR,
    show_default=True,
    help="Directory of the tree to write.",
)
@click.option(
    "--only",
    "only",
    multiple=True,
    metavar="NAME",
    help="Import only this experience (name or id); repeatable.",
)
@click.option("--force", is_flag=True, help="Replace files that exist already.")
@click.option(
    "--caller",
    type=LazyChoice(_callers),
    default="management",  # Caller.MANAGEMENT; the choice refuses it if that ever changes
    show_default=True,
    help="Which account reads (delegated-admin lists shared experiences); kept in pmp.yaml.",
)
@click.option(
    "--sets",
    "sets",
    is_flag=True,
    help="Put the products every imported experience allows into a 'baseline' set in "
    "products.yaml; each experience file then says '- set: baseline'.",
)
@click.pass_obj
def import_command(
    options: GlobalOptions,
    out: Path,
    only: tuple[str, ...],
    force: bool,
    caller: str,
    sets: bool,
) -> None:
    """Write the live marketplace as a desired-state tree (one file per experience)."""
    from pmp_reconcile.cli.session import target_of
    from pmp_reconcile.model import Caller
    from pmp_reconcile.views.importing import render_result
    from pmp_reconcile.workflows.importing import ImportRequest, import_marketplace

    request = ImportRequest(out=out, only=only, force=force, caller=Caller(caller), sets=sets)
    click.echo(render_result(import_marketplace(request, target_of(options))), nl=False)
