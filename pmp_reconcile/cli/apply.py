"""``pmp-reconcile apply``: plan (or load a saved plan), confirm, execute, verify, report."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from pmp_reconcile.cli.app import DEFAULT_DIR, GlobalOptions, cli
from pmp_reconcile.cli.outputs import check_writable
from pmp_reconcile.errors import ExitCode, UsageError
from pmp_reconcile.views.formats import APPLY_FORMATS, OutputFormat, names

if TYPE_CHECKING:  # imported when the command runs: boto3 and pydantic are slow to import
    from pmp_reconcile.apply.executor import Executor
    from pmp_reconcile.catalog.api import CatalogApi
    from pmp_reconcile.plan.values import Plan


@cli.command("apply")
@click.argument("directory", default=DEFAULT_DIR, type=click.Path(path_type=Path))
@click.option("--plan", "plan_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--auto-approve", is_flag=True, help="Apply without asking.")
@click.option("--allow-destructive", is_flag=True, help="Let the plan cross guardrails.")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False), help="Result JSON.")
@click.option(
    "--output", type=click.Choice(names(APPLY_FORMATS)), default="text", show_default=True
)
@click.option("--refresh-products", is_flag=True, help="Ask Discovery again (ignore the cache).")
@click.pass_obj
def apply_command(
    options: GlobalOptions,
    directory: Path,
    plan_file: Path | None,
    auto_approve: bool,
    allow_destructive: bool,
    report: Path | None,
    output: str,
    refresh_products: bool,
) -> int:
    """Make the live marketplace match the tree (or a saved plan)."""
    from pmp_reconcile.apply.executor import Executor
    from pmp_reconcile.cli.progress import LinePrinter
    from pmp_reconcile.cli.session import target_of
    from pmp_reconcile.views import apply as apply_view
    from pmp_reconcile.workflows import ApplyRequest, apply_changes, change_set_tags

    shown = OutputFormat(output)
    check_writable(report, "--report")
    if not auto_approve and not sys.stdin.isatty():
        raise UsageError(
            "apply needs confirmation but stdin is not a terminal; nothing was changed",
            hint="review the plan, then re-run with --auto-approve (as CI does)",
        )
    stop = threading.Event()
    progress = LinePrinter(options.color)

    def executor_for(api: CatalogApi) -> Executor:
        return Executor(api, progress=progress, stop=stop, tags=change_set_tags())

    request = ApplyRequest(
        directory=directory,
        plan_file=plan_file,
        allow_destructive=allow_destructive,
        confirm=_confirmation(options, auto_approve, shown),
    )
    try:
        with _stopping_on_signals(stop), _stale_as_data(shown):
            target = target_of(options, refresh_products=refresh_products)
            plan, result = apply_changes(request, target, executor_for)
    finally:
        progress.close()
    if not plan.has_changes and shown is not OutputFormat.JSON:
        from pmp_reconcile.views.plan_text import summary_line

        click.echo(summary_line(plan.to_document(recorded=False)["summary"]))
    else:
        click.echo(apply_view.render_result(result, shown), nl=False)
    if report is not None:  # after the summary, which a failed write must not take away
        _write_report(report, json.dumps(result.to_document(), indent=2) + "\n")
    return ExitCode.OK if result.ok else ExitCode.ERROR


def _write_report(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(
            f"--report {path}: cannot write the report ({error.strerror}); "
            "the apply itself finished as shown above",
            hint="run plan to see where the marketplace stands now",
        ) from None


def _confirmation(
    options: GlobalOptions, auto_approve: bool, output: OutputFormat
) -> Callable[[Plan], bool]:
    """Show the plan in the report's format (markdown for a CI job page), then ask. With
    ``json`` the plan is shown as text on stderr: stdout holds one document, the result."""

    from pmp_reconcile.views.plan import render

    def confirm(plan: Plan) -> bool:
        document = plan.to_document(recorded=False)
        if output is OutputFormat.JSON:
            click.echo(render(document, OutputFormat.TEXT), nl=False, err=True)
        else:
            click.echo(render(document, output, color=options.color), nl=False)
        if auto_approve:
            return True
        return click.confirm("Apply these changes?", default=False)

    return confirm


@contextmanager
def _stale_as_data(output: OutputFormat) -> Iterator[None]:
    """With ``--output json``, a stale plan's moves go to stdout as data (the error to stderr)."""
    from pmp_reconcile.errors import StalePlanError

    try:
        yield
    except StalePlanError as stale:
        if output is OutputFormat.JSON:
            from pmp_reconcile.views.stale import render_stale

            click.echo(render_stale(stale.document, output), nl=False)
        raise


@contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT/SIGTERM ask the executor to start nothing new; a second one aborts at once."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        click.echo(
            "stopping: no new change sets; waiting for those running (again to abort)", err=True
        )

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
