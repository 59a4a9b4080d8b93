"""The command line: options → one workflow call → render.

click lives only in this package, and :func:`main` is the single place where errors become
messages and exit codes. Each command module stays a thin adapter over ``workflows``.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from typing import Any, NoReturn

import click

from pmp_reconcile.cli import apply as _apply  # noqa: F401
from pmp_reconcile.cli import bootstrap as _bootstrap  # noqa: F401
from pmp_reconcile.cli import explain as _explain  # noqa: F401
from pmp_reconcile.cli import iam_policy as _iam_policy  # noqa: F401
from pmp_reconcile.cli import import_cmd as _import_cmd  # noqa: F401
from pmp_reconcile.cli import map_cmd as _map_cmd  # noqa: F401
from pmp_reconcile.cli import plan as _plan  # noqa: F401
from pmp_reconcile.cli import products as _products  # noqa: F401
from pmp_reconcile.cli import sandbox as _sandbox  # noqa: F401
from pmp_reconcile.cli import show as _show  # noqa: F401
from pmp_reconcile.cli import validate as _validate  # noqa: F401
from pmp_reconcile.cli.app import cli
from pmp_reconcile.errors import ExitCode, PmpError, ValidationFailed
from pmp_reconcile.views.findings import render_findings
from pmp_reconcile.views.formats import OutputFormat

__all__ = ["cli", "main", "run"]


def _report_error(error: PmpError) -> None:
    if isinstance(error, ValidationFailed):
        click.echo(
            render_findings(error.findings, OutputFormat.TEXT, "desired state"), err=True, nl=False
        )
    click.echo(f"error: {error} [{error.code}]", err=True)
    for line in error.details:
        click.echo(line, err=True)
    if error.hint:
        click.echo(f"  hint: {error.hint}", err=True)


def _debug_requested(argv: list[str]) -> bool:
    return "--debug" in argv


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point: run the CLI and turn every outcome into an exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = _debug_requested(args)
    try:
        result: Any = cli.main(args=args, prog_name="pmp-reconcile", standalone_mode=False)
    except PmpError as error:
        if debug:
            traceback.print_exc()
        _report_error(error)
        if getattr(error, "abandons_threads", False):
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(error.exit_code)  # sys.exit would join the threads still polling
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as usage:
        usage.show()
        sys.exit(ExitCode.ERROR)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("aborted", err=True)
        sys.exit(ExitCode.ERROR)
    except Exception:  # the last line of defence: never a bare traceback for users
        if debug:
            raise
        click.echo("error: internal error (re-run with --debug for the traceback)", err=True)
        sys.exit(ExitCode.ERROR)
    sys.exit(int(result) if isinstance(result, int) else ExitCode.OK)


def run() -> NoReturn:
    """The installed command: :func:`main`, then out without taking the interpreter apart.

    A plan leaves hundreds of thousands of objects behind. Freeing them one by one, and the
    last garbage collection, cost a tenth of a second that users wait for and that gains
    nothing once the output is flushed (every file a command writes is closed by then).
    """
    status: int = ExitCode.OK
    try:
        main()
    except SystemExit as done:
        status = _exit_status(done.code)
    for stream in (sys.stdout, sys.stderr):
        # a reader that went away (`| head`) or a closed stream: nothing more can be shown
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


def _exit_status(code: object) -> int:
    """The process status ``sys.exit(code)`` would give."""
    if code is None:
        return ExitCode.OK
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return ExitCode.ERROR
