"""The rest-json wire protocol of the Catalog and Discovery APIs, shared by both transports.

Routing and parameter binding come from botocore's own service model (``http.requestUri``,
member ``location``/``locationName``), so the sandbox reads requests exactly the way the real
client writes them. The two services' paths differ (``/ListEntities``,
``/2026-02-05/getProduct``), so one endpoint serves both. Errors go out the way botocore's
rest-json parser reads them: the code in ``x-amzn-ErrorType``, the text in a ``Message`` body
field.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple, Protocol
from urllib.parse import parse_qs

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape

from pmp_reconcile.sandbox.clock import Clock
from pmp_reconcile.sandbox.discovery_errors import as_discovery
from pmp_reconcile.sandbox.errors import ServiceError
from pmp_reconcile.sandbox.faults import FaultInjector, Sleep
from pmp_reconcile.sandbox.settings import SandboxSettings

SERVICE_NAME = "marketplace-catalog"
DISCOVERY_SERVICE_NAME = "marketplace-discovery"
SERVICE_NAMES = (SERVICE_NAME, DISCOVERY_SERVICE_NAME)
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/")
_log = logging.getLogger(__name__)


class Dispatcher(Protocol):
    """What the protocol needs from the state: ``Marketplace`` and its proxies."""

    def dispatch(self, operation: str, params: dict[str, Any], caller: str) -> dict[str, Any]: ...


class Reply(NamedTuple):
    """An HTTP response: status, headers and the encoded body."""

    status: int
    headers: dict[str, str]
    body: bytes


class ProtocolError(Exception):
    """A request the service would refuse before any operation runs (bad route or body)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@cache
def service_model(name: str = SERVICE_NAME) -> ServiceModel:
    """A service model shipped with the installed botocore (the Catalog API's by default).

    Read with no profile at all: the models are files of botocore, and an ``AWS_PROFILE`` this
    machine does not have must not stop the sandbox.
    """
    session = botocore.session.Session(session_vars={"profile": (None, None, None, None)})
    return session.get_service_model(name)


@cache
def _routes() -> dict[tuple[str, str], OperationModel]:
    table: dict[tuple[str, str], OperationModel] = {}
    for model in map(service_model, SERVICE_NAMES):
        for name in model.operation_names:
            operation = model.operation_model(name)
            path = operation.http["requestUri"].split("?", 1)[0]
            table[(operation.http["method"].upper(), path)] = operation
    return table


def _service_error(operation: OperationModel, error: ServiceError) -> Reply:
    """The error in the family of the operation's service."""
    if operation.service_model.service_name == DISCOVERY_SERVICE_NAME:
        error = as_discovery(error)
    return error_reply(error.status, error.code, error.message, error.fields, error.extra)


def route(method: str, path: str) -> OperationModel:
    """The operation served at ``method path``; a 404 ``ProtocolError`` when there is none."""
    clean = path.split("?", 1)[0].rstrip("/") or "/"
    operation = _routes().get((method.upper(), clean))
    if operation is None:
        raise ProtocolError(
            404, "UnknownOperationException", f"No operation is served at {method} {clean}"
        )
    return operation


def caller_key(headers: Mapping[str, str]) -> str | None:
    """The access key id of a SigV4 ``Authorization`` header (signatures are not checked)."""
    for name, value in headers.items():
        if name.lower() == "authorization":
            match = _CREDENTIAL.search(value)
            return match.group(1) if match else None
    return None


def bind(operation: OperationModel, query: Mapping[str, list[str]], body: bytes) -> dict[str, Any]:
    """The operation's input members, taken from the query string and the JSON body."""
    shape = operation.input_shape
    if shape is None:
        return {}
    params = _parse_body(body)
    for name, member in shape.members.items():
        if member.serialization.get("location") == "querystring":
            values = query.get(member.serialization.get("name", name))
            if values:
                params[name] = _from_query(member, values)
    return params


def _parse_body(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise ProtocolError(
            400, "ValidationException", f"Request body is not valid JSON: {problem}"
        ) from None
    if not isinstance(document, dict):
        raise ProtocolError(400, "ValidationException", "Request body must be a JSON object")
    return document


def _from_query(member: Shape, values: list[str]) -> Any:
    if member.type_name == "list":
        return list(values)
    if member.type_name == "integer":
        return int(values[0])
    if member.type_name == "boolean":
        return values[0].lower() == "true"
    return values[0]


def json_reply(
    status: int, payload: Mapping[str, Any], extra: Mapping[str, str] | None = None
) -> Reply:
    """A JSON reply carrying a fresh request id, as AWS sends one with every response."""
    # A reply is a tree of JSON values (no cycle to look for): a policy's thousands of
    # resources encode a third faster unchecked.
    body = json.dumps(payload, separators=(",", ":"), check_circular=False).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
        "x-amzn-RequestId": str(uuid.uuid4()),
        **(extra or {}),
    }
    return Reply(status, headers, body)


def error_reply(
    status: int, code: str, message: str, fields: Any = None, extra: Mapping[str, Any] | None = None
) -> Reply:
    """An error the way botocore's rest-json parser reads it."""
    payload: dict[str, Any] = {"Message": message, **(extra or {})}
    if fields:
        payload["ValidationExceptionFieldList"] = fields
    return json_reply(status, payload, {"x-amzn-ErrorType": code})


@dataclass
class Endpoint:
    """One sandbox front door: a dispatcher, its settings and the per-door fault state."""

    marketplace: Dispatcher
    settings: SandboxSettings = field(default_factory=SandboxSettings)
    sleep: Sleep | None = None
    clock: Clock | None = None
    faults: FaultInjector = field(init=False)

    def __post_init__(self) -> None:
        self.faults = FaultInjector(self.settings.faults, clock=self.clock, sleep=self.sleep)
        _routes()  # botocore's models are read now, not while the first caller waits

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, list[str]] | str,
        headers: Mapping[str, str],
        body: bytes,
    ) -> Reply:
        """Serve one HTTP request: route, bind, apply faults, dispatch, serialise."""
        parsed_query = parse_qs(query, keep_blank_values=True) if isinstance(query, str) else query
        try:
            operation = route(method, path)
        except ProtocolError as problem:
            return error_reply(problem.status, problem.code, problem.message)
        try:
            params = bind(operation, parsed_query, body)
            self.faults.before(operation.name)
            caller = self.settings.account_for(caller_key(headers))
            output = self.marketplace.dispatch(operation.name, params, caller)
        except ProtocolError as problem:
            return error_reply(problem.status, problem.code, problem.message)
        except ServiceError as error:
            return _service_error(operation, error)
        except Exception as bug:  # a sandbox bug must still answer like a service
            _log.exception("sandbox failed to serve %s %s", method, path)
            return error_reply(500, "InternalServiceException", f"Sandbox internal error: {bug!r}")
        return json_reply(200, output)


def handle(
    marketplace: Dispatcher,
    method: str,
    path: str,
    query: Mapping[str, list[str]] | str,
    headers: Mapping[str, str],
    body: bytes,
    settings: SandboxSettings | None = None,
) -> Reply:
    """Serve one request with fresh fault state (use an :class:`Endpoint` to keep it)."""
    endpoint = Endpoint(marketplace, settings or SandboxSettings())
    return endpoint.handle(method, path, query, headers, body)
