"""``pmp-reconcile products search|show``: the AWS Marketplace catalog by name.

``search`` finds product ids by keyword (``--output yaml`` writes products.yaml lines to
paste); ``show`` names the products behind ids or aliases.
"""

from __future__ import annotations

from pathlib import Path

import click

from pmp_reconcile.cli.app import DEFAULT_DIR, GlobalOptions, cli
from pmp_reconcile.views.formats import SEARCH_FORMATS, SHOW_FORMATS, OutputFormat, names

MAX_LISTINGS = 100


@cli.group("products")
def products_group() -> None:
    """Find products by name and name the products behind ids (the Discovery API)."""


@products_group.command("search")
@click.argument("text")
@click.option(
    "--max-results",
    type=click.IntRange(1, MAX_LISTINGS),
    default=10,
    show_default=True,
    help="Listings to return (each may carry several products).",
)
@click.option(
    "--output", type=click.Choice(names(SEARCH_FORMATS)), default="text", show_default=True
)
@click.pass_obj
def search_command(options: GlobalOptions, text: str, max_results: int, output: str) -> None:
    """Products whose listings match TEXT: id, name, publisher, fulfillment."""
    from pmp_reconcile.cli.session import discovery_of
    from pmp_reconcile.views import products as view
    from pmp_reconcile.workflows.products import search

    hits = search(discovery_of(options), text, max_results)
    click.echo(view.render_search(text, hits, OutputFormat(output)), nl=False)


@products_group.command("show")
@click.argument("references", metavar="ID|ALIAS...", nargs=-1, required=True)
@click.option(
    "--dir",
    "directory",
    default=DEFAULT_DIR,
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Tree whose products.yaml defines the aliases.",
)
@click.option("--refresh-products", is_flag=True, help="Ask Discovery again (ignore the cache).")
@click.option("--output", type=click.Choice(names(SHOW_FORMATS)), default="text", show_default=True)
@click.pass_obj
def show_command(
    options: GlobalOptions,
    references: tuple[str, ...],
    directory: Path,
    refresh_products: bool,
    output: str,
) -> None:
    """Name, publisher and availability of each product id or alias."""
    from pmp_reconcile.cli.session import discovery_of
    from pmp_reconcile.views import products as view
    from pmp_reconcile.workflows.products import show

    shown = show(discovery_of(options, refresh=refresh_products), references, directory)
    click.echo(view.render_shown(shown, OutputFormat(output)), nl=False)
