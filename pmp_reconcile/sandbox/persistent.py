"""A sandbox kept on disk, so separate CLI processes share one marketplace.

Every call loads ``state.json``, dispatches and saves, all under an exclusive ``flock`` on
``<home>/lock``: two processes at once serialise instead of losing each other's updates.
Writes go to a temporary file that is renamed over the old one, so a crash never leaves half
a state behind. The lifecycle defaults to ``seconds`` mode on the system clock (1 s per
step), so ``plan``/``apply`` against it poll the way they would against AWS.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmp_reconcile.sandbox.clock import Clock, SystemClock
from pmp_reconcile.sandbox.errors import ServiceError
from pmp_reconcile.sandbox.faults import Sleep
from pmp_reconcile.sandbox.options import Progression, ProgressionMode, StateOptions
from pmp_reconcile.sandbox.settings import SandboxSettings
from pmp_reconcile.sandbox.state import Marketplace
from pmp_reconcile.sandbox.transport import Attachment, Client, attach


def persistent_defaults() -> SandboxSettings:
    """Settings of a fresh home: change sets take a second per lifecycle step."""
    return SandboxSettings(
        state=StateOptions(progression=Progression(mode=ProgressionMode.SECONDS, seconds=1.0))
    )


def write_json_atomic(path: Path, document: Any) -> None:
    """Write ``document`` as JSON to ``path`` by rename, so readers see old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=2, sort_keys=True)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def locked_home(home: Path) -> Iterator[None]:
    """Hold the exclusive ``flock`` on ``<home>/lock``: one process at a time in the home."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / "lock").open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as source:
        return json.load(source)


def _dispatch_and_save(
    marketplace: Marketplace, operation: str, params: dict[str, Any], caller: str, path: Path
) -> dict[str, Any]:
    """Dispatch, then save — also after a service error (reads may advance lifecycles),
    but never after a sandbox bug, whose half-done state is better lost."""
    try:
        output = marketplace.dispatch(operation, params, caller)
    except ServiceError:
        write_json_atomic(path, marketplace.to_document())
        raise
    write_json_atomic(path, marketplace.to_document())
    return output


@dataclass
class StateFile:
    """A marketplace saved after every call (``sandbox serve --state FILE``).

    In-process only: one server owns the file while it runs; its threads take turns, so
    saves land in the order the calls ran.
    """

    marketplace: Marketplace
    path: Path
    _turn: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def open(cls, path: Path, options: StateOptions, clock: Clock | None = None) -> StateFile:
        """Load ``path`` when it exists, else start empty (the file appears on first save)."""
        if path.exists():
            marketplace = Marketplace.from_document(read_json(path), options, clock)
        else:
            marketplace = Marketplace(options, clock)
        return cls(marketplace, path)

    def dispatch(self, operation: str, params: dict[str, Any], caller: str) -> dict[str, Any]:
        with self._turn:
            return _dispatch_and_save(self.marketplace, operation, params, caller, self.path)

    def save(self) -> None:
        with self._turn:
            write_json_atomic(self.path, self.marketplace.to_document())


class PersistentSandbox:
    """The CLI's ``--sandbox``: a marketplace living in ``home`` and shared by processes."""

    def __init__(self, home: Path, clock: Clock | None = None) -> None:
        self.home = Path(home)
        self.clock: Clock = clock or SystemClock()

    @property
    def state_path(self) -> Path:
        return self.home / "state.json"

    @property
    def settings_path(self) -> Path:
        return self.home / "settings.json"

    @property
    def settings(self) -> SandboxSettings:
        """``settings.json`` when present, else :func:`persistent_defaults`."""
        if self.settings_path.exists():
            return SandboxSettings.from_dict(read_json(self.settings_path))
        return persistent_defaults()

    def save_settings(self, settings: SandboxSettings) -> None:
        with self._locked():
            write_json_atomic(self.settings_path, settings.to_dict())

    def _locked(self) -> AbstractContextManager[None]:
        return locked_home(self.home)

    def _load(self) -> Marketplace:
        options = self.settings.state
        if self.state_path.exists():
            return Marketplace.from_document(read_json(self.state_path), options, self.clock)
        return Marketplace(options, self.clock)

    @contextmanager
    def session(self) -> Iterator[Marketplace]:
        """Hold the lock with the loaded marketplace; saves it when the block ends cleanly.

        For direct state work such as arming faults::

            with sandbox.session() as marketplace:
                marketplace.fail_next_change_sets(1)
        """
        with self._locked():
            marketplace = self._load()
            yield marketplace
            write_json_atomic(self.state_path, marketplace.to_document())

    def dispatch(self, operation: str, params: dict[str, Any], caller: str) -> dict[str, Any]:
        """Load, run one operation, save: the unit that two processes never interleave."""
        with self._locked():
            return _dispatch_and_save(self._load(), operation, params, caller, self.state_path)

    def reset(self, seed: dict[str, Any] | None = None) -> None:
        """Start over with an empty marketplace, or one holding ``seed``.

        Also writes ``settings.json`` with the defaults when there is none, so users find the
        file to edit.
        """
        with self._locked():
            settings = self.settings
            if not self.settings_path.exists():
                write_json_atomic(self.settings_path, settings.to_dict())
            marketplace = Marketplace(settings.state, self.clock)
            if seed is not None:
                marketplace.seed(seed)
            write_json_atomic(self.state_path, marketplace.to_document())

    def attach(self, client: Client, *, sleep: Sleep | None = None) -> Attachment:
        """Answer ``client``'s calls from this home (in-process, no server needed)."""
        return attach(client, self, self.settings, clock=self.clock, sleep=sleep)
