"""The command line: options → one workflow call → render.

click lives only here, and this is the single place where errors become messages and exit
codes. Each command stays a thin adapter; the work happens in the layers below.
"""

from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click

from pmp_reconcile import __version__
from pmp_reconcile.errors import ExitCode, PmpError

DEFAULT_DIR = "desired_state"
SANDBOX_HOME = ".pmp-sandbox"


@dataclass(frozen=True)
class GlobalOptions:
    """The options every command shares (the AWS connection and the output style)."""

    profile: str | None
    region: str
    endpoint_url: str | None
    sandbox: bool
    color: bool
    debug: bool

    @property
    def sandbox_home(self) -> Path:
        return Path(os.environ.get("PMP_SANDBOX_HOME", SANDBOX_HOME))


def _wants_color(no_color: bool) -> bool:
    if no_color or "NO_COLOR" in os.environ:
        return False
    return sys.stdout.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pmp-reconcile")
@click.option("--profile", envvar="AWS_PROFILE", help="AWS named profile.")
@click.option("--region", default="us-east-1", show_default=True, help="Catalog API region.")
@click.option("--endpoint-url", help="Catalog API endpoint (e.g. a sandbox server).")
@click.option("--sandbox", is_flag=True, help="Use the embedded emulator (state in .pmp-sandbox/).")
@click.option("--no-color", is_flag=True, help="Plain output (also NO_COLOR).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def cli(
    ctx: click.Context,
    profile: str | None,
    region: str,
    endpoint_url: str | None,
    sandbox: bool,
    no_color: bool,
    debug: bool,
) -> None:
    """Manage AWS Private Marketplace as code."""
    ctx.obj = GlobalOptions(
        profile=profile,
        region=region,
        endpoint_url=endpoint_url,
        sandbox=sandbox,
        color=_wants_color(no_color),
        debug=debug,
    )


def _report_error(error: PmpError) -> None:
    click.echo(f"error: {error} [{error.code}]", err=True)
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
