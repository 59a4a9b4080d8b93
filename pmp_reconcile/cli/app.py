"""The click group and the options every command shares.

Commands live in sibling modules, one per command, and register themselves on :data:`cli`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from pmp_reconcile import __version__

DEFAULT_DIR = "desired_state"
DEFAULT_REGION = "us-east-1"
SANDBOX_HOME = ".pmp-sandbox"
CACHE_HOME = ".pmp-cache"


@dataclass(frozen=True)
class GlobalOptions:
    """The options every command shares (the AWS connection and the output style)."""

    profile: str | None
    region: str
    endpoint_url: str | None
    sandbox: bool
    color: bool
    debug: bool

    def connection_args(self) -> tuple[str, ...]:
        """The options that chose where to connect, as typed again for a next command."""
        args: tuple[str, ...] = ("--profile", self.profile) if self.profile else ()
        if self.region != DEFAULT_REGION:
            args += ("--region", self.region)
        if self.endpoint_url:
            args += ("--endpoint-url", self.endpoint_url)
        return args + (("--sandbox",) if self.sandbox else ())

    @property
    def sandbox_home(self) -> Path:
        return Path(os.environ.get("PMP_SANDBOX_HOME", SANDBOX_HOME))

    @property
    def cache_home(self) -> Path:
        """Where product facts are kept between runs (``PMP_CACHE_HOME`` or .pmp-cache/)."""
        return Path(os.environ.get("PMP_CACHE_HOME", CACHE_HOME))


class LazyChoice(click.Choice):  # type: ignore[type-arg]
    """A choice among values read when the option is used or its help shown, not at import.

    The enums behind some choices live in modules that build many classes at import (the
    model, the sandbox), which ``--help`` and commands that do not use them should not wait for.
    """

    def __init__(self, load: Callable[[], Iterable[str]]) -> None:
        self._load = load
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        return tuple(self._load())

    @choices.setter
    def choices(self, _ignored: Sequence[str]) -> None:
        """click's constructor sets the choices; here they come from ``load``."""


#: A git commit id, abbreviated or whole (SHA-1 or SHA-256).
COMMIT_ID = re.compile(r"[0-9a-f]{7,64}")


def _commit_id(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not COMMIT_ID.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not a commit id (7 to 64 lower-case hex digits)")
    return value


#: ``--commit SHA``: the commit of the tree, shown by the plan and the pull-request comment.
commit_option = click.option(
    "--commit", metavar="SHA", callback=_commit_id, help="The commit of the tree, shown first."
)


def _wants_color(no_color: bool) -> bool:
    if no_color or "NO_COLOR" in os.environ:
        return False
    return sys.stdout.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pmp-reconcile")
@click.option("--profile", envvar="AWS_PROFILE", help="AWS named profile.")
@click.option("--region", default=DEFAULT_REGION, show_default=True, help="Catalog API region.")
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
