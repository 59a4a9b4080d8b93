"""``pmp-reconcile sandbox reset|serve``: the embedded emulator of the Catalog API.

``reset`` starts the ``--sandbox`` home over (optionally from a seed); ``serve`` puts a
sandbox on a loopback port for any AWS client, until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from pmp_reconcile.cli.app import GlobalOptions, LazyChoice, cli
from pmp_reconcile.errors import ExitCode, InputError, UsageError

# The sandbox loads botocore's service model, seed files need the YAML reader: both only when
# a command runs.
if TYPE_CHECKING:
    from pmp_reconcile.sandbox import Marketplace, SandboxSettings
    from pmp_reconcile.sandbox.protocol import Dispatcher


def _progressions() -> list[str]:
    from pmp_reconcile.sandbox.options import ProgressionMode

    return [mode.value for mode in ProgressionMode]


@cli.group("sandbox")
def sandbox_group() -> None:
    """The embedded emulator of the Catalog API (no AWS account needed)."""


def _seed_into(marketplace: Marketplace, path: Path) -> None:
    """The Catalog part of the seed; a server plays only the Catalog API."""
    from pmp_reconcile.cli.seed_files import SEED_HINT, read_seed
    from pmp_reconcile.sandbox.org_seed import split_seed

    try:
        marketplace.seed(split_seed(read_seed(path))[0])
    except ValueError as problem:
        raise InputError(f"seed file {path}: {problem}", hint=SEED_HINT) from None


@sandbox_group.command("reset")
@click.option(
    "--seed",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Start from this YAML/JSON seed instead of an empty marketplace.",
)
@click.pass_obj
def reset_command(options: GlobalOptions, seed: Path | None) -> int:
    """Empty the --sandbox marketplace (state in PMP_SANDBOX_HOME or .pmp-sandbox/)."""
    from pmp_reconcile.cli.seed_files import SEED_HINT, read_seed
    from pmp_reconcile.sandbox import PersistentSandbox
    from pmp_reconcile.sandbox.org_seed import split_seed
    from pmp_reconcile.sandbox.organizations import OrganizationsSandbox

    home = options.sandbox_home
    document = read_seed(seed) if seed is not None else None
    try:
        marketplace, organization = split_seed(document) if document else (document, None)
        PersistentSandbox(home).reset(marketplace)
    except ValueError as problem:
        raise InputError(f"seed file {seed}: {problem}", hint=SEED_HINT) from None
    OrganizationsSandbox(home).write(organization)
    origin = f" from {seed}" if seed is not None else ""
    click.echo(f"sandbox reset{origin}: {home}")
    if organization is not None:
        click.echo(f"organization {organization['organization_id']}: {home / 'organization.json'}")
    return ExitCode.OK


def _settings(path: Path | None, progression: str | None, throttle: bool | None) -> SandboxSettings:
    from pmp_reconcile.cli.seed_files import SETTINGS_HINT, read_seed
    from pmp_reconcile.sandbox import SandboxSettings, persistent_defaults
    from pmp_reconcile.sandbox.options import ProgressionMode

    settings = persistent_defaults()
    if path is not None:
        try:
            settings = SandboxSettings.from_dict(read_seed(path, "settings", SETTINGS_HINT))
        except (ValueError, TypeError) as problem:
            raise InputError(f"settings file {path}: {problem}", hint=SETTINGS_HINT) from None
    if progression is not None:
        settings.state.progression.mode = ProgressionMode(progression)
    if throttle is not None:
        settings.faults.throttle = throttle
    return settings


def _dispatcher(settings: SandboxSettings, state: Path | None, seed: Path | None) -> Dispatcher:
    from pmp_reconcile.sandbox import Marketplace, StateFile

    store = StateFile.open(state, settings.state) if state is not None else None
    marketplace = store.marketplace if store is not None else Marketplace(settings.state)
    if seed is not None:
        if marketplace.entities.by_id:
            raise UsageError(f"--seed needs an empty marketplace; {state} already holds one")
        _seed_into(marketplace, seed)
    if store is None:
        return marketplace
    store.save()
    return store


def _wait_for_stop() -> None:
    """Block until SIGTERM or Ctrl-C."""
    stop = threading.Event()

    def on_term(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


@sandbox_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="A loopback address.")
@click.option("--port", type=int, default=0, show_default=True, help="0 picks a free port.")
@click.option("--state", type=click.Path(path_type=Path, dir_okay=False), help="Load/save here.")
@click.option("--seed", type=click.Path(path_type=Path, dir_okay=False), help="Seed file.")
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Sandbox settings (JSON or YAML, as settings.json).",
)
@click.option("--progression", type=LazyChoice(_progressions), help="Change-set lifecycle.")
@click.option("--throttle/--no-throttle", default=None, help="Enforce documented rates.")
def serve_command(
    host: str,
    port: int,
    state: Path | None,
    seed: Path | None,
    settings_file: Path | None,
    progression: str | None,
    throttle: bool | None,
) -> int:
    """Serve the Catalog API on a loopback port until Ctrl-C or SIGTERM."""
    from pmp_reconcile.sandbox import SandboxServer, StateFile

    settings = _settings(settings_file, progression, throttle)
    dispatcher = _dispatcher(settings, state, seed)
    try:
        server = SandboxServer(dispatcher, host, port, settings)
    except (ValueError, OSError) as problem:
        raise UsageError(f"cannot serve on {host}:{port}: {problem}") from None
    url = server.start()
    click.echo(f"pmp-reconcile sandbox listening on {url}")
    try:
        _wait_for_stop()
    finally:
        server.stop()
        if isinstance(dispatcher, StateFile):
            dispatcher.save()
    click.echo("pmp-reconcile sandbox stopped")
    return ExitCode.OK
