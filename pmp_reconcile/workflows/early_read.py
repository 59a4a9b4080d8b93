"""Load the desired tree while the live marketplace is read: the two take about as long.

The live read mostly waits (on the network and on the account's request rates) and loading a
big tree mostly computes, so they overlap well. What the read needs from the tree (the caller
and the organization guard) is in pmp.yaml, read first on its own: when it is invalid nothing
is read, and the full load reports it. When an experience file is invalid the read already
started is abandoned (it only reads; nothing is written).

Both build hundreds of thousands of small containers (a policy's resources, a tree's lists)
and keep them: the cyclic garbage collector would walk them all again and again while they
are built, for nothing (none is part of a cycle), so it pauses until both are done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.collector import collector_paused
from pmp_reconcile.desired.loader import load_desired_state, load_settings
from pmp_reconcile.model import MarketplaceState

ApiFor = Callable[[MarketplaceState], CatalogApi]
Read = Callable[[CatalogApi], MarketplaceState]


def load_and_read(
    directory: Path, api_for: ApiFor, read: Read, *, overlap: bool = True
) -> tuple[MarketplaceState, MarketplaceState]:
    """The desired state and the live state, the tree loaded while the read is in flight
    (with ``overlap``; else the tree first, and nothing is read when it is invalid)."""
    with collector_paused():
        if overlap:
            return _load_and_read(directory, api_for, read)
        desired = load_desired_state(directory)
        return desired, read(api_for(desired))


def _load_and_read(
    directory: Path, api_for: ApiFor, read: Read
) -> tuple[MarketplaceState, MarketplaceState]:
    settings = load_settings(directory)
    if settings is None:
        return load_and_read(directory, api_for, read, overlap=False)
    api = api_for(MarketplaceState(settings=settings))
    live = in_background(lambda: read(api))
    desired = load_desired_state(directory)
    if desired.settings != settings:  # pmp.yaml changed in between: read for what it says now
        return desired, read(api_for(desired))
    return desired, live.result()


def in_background(work: Callable[[], MarketplaceState]) -> Future[MarketplaceState]:
    """``work`` on a daemon thread: a command that fails meanwhile exits without waiting."""
    future: Future[MarketplaceState] = Future()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as error:  # handed to whoever asks for the result
            future.set_exception(error)

    threading.Thread(target=run, name="pmp-live-read", daemon=True).start()
    return future
