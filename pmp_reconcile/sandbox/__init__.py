"""An emulator of the private-marketplace subset of the AWS Marketplace Catalog API.

The state model (``state``) never sees HTTP; ``protocol`` speaks rest-json for it, and two
transports carry that to a real boto3 client: a ``before-send`` hook in-process
(:func:`attach`) and a loopback HTTP server (:func:`serve`). :class:`PersistentSandbox` keeps
a marketplace on disk for the CLI's ``--sandbox``. Nothing here imports the reconciler.
"""

from __future__ import annotations

from pmp_reconcile.sandbox.clock import FakeClock, SystemClock
from pmp_reconcile.sandbox.errors import ServiceError
from pmp_reconcile.sandbox.faults import FaultInjector, inject_state_faults
from pmp_reconcile.sandbox.persistent import PersistentSandbox, StateFile, persistent_defaults
from pmp_reconcile.sandbox.protocol import Dispatcher, Endpoint, Reply, handle
from pmp_reconcile.sandbox.server import SandboxServer, serve
from pmp_reconcile.sandbox.settings import FaultSettings, SandboxSettings, progression
from pmp_reconcile.sandbox.state import Marketplace, Progression, StateOptions
from pmp_reconcile.sandbox.transport import Attachment, attach

__all__ = [
    "Attachment",
    "Dispatcher",
    "Endpoint",
    "FakeClock",
    "FaultInjector",
    "FaultSettings",
    "Marketplace",
    "PersistentSandbox",
    "Progression",
    "Reply",
    "SandboxServer",
    "SandboxSettings",
    "ServiceError",
    "StateFile",
    "StateOptions",
    "SystemClock",
    "attach",
    "handle",
    "inject_state_faults",
    "persistent_defaults",
    "progression",
    "serve",
]
