"""In-process transport: a botocore ``before-send`` hook that answers from the sandbox.

The real client still validates, serialises, signs and parses every call; only the socket is
replaced. The hook matches any endpoint and region because it reads just the request's path,
query string, headers and body.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders

from pmp_reconcile.sandbox.clock import Clock
from pmp_reconcile.sandbox.faults import Sleep
from pmp_reconcile.sandbox.protocol import SERVICE_NAMES, Dispatcher, Endpoint
from pmp_reconcile.sandbox.settings import SandboxSettings

#: A client's events are its own, so one attachment may listen for either service it serves.
EVENTS = tuple(f"before-send.{name}" for name in SERVICE_NAMES)


class _Events(Protocol):
    def register(self, event_name: str, handler: Any, unique_id: str | None = None) -> None: ...

    def unregister(
        self, event_name: str, handler: Any = None, unique_id: str | None = None
    ) -> Any: ...


class _Meta(Protocol):
    @property
    def events(self) -> _Events: ...


class Client(Protocol):
    """Any botocore/boto3 client (only ``meta.events`` is used)."""

    @property
    def meta(self) -> _Meta: ...


class _Body:
    """The minimal raw stream ``AWSResponse.content`` reads from."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


def _request_body(request: AWSPreparedRequest) -> bytes:
    body: Any = request.body
    if body is None:
        return b""
    if hasattr(body, "read"):
        data = body.read()
        if hasattr(body, "seek"):
            body.seek(0)
        body = data
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def _request_headers(request: AWSPreparedRequest) -> dict[str, str]:
    """Header values as text (botocore keeps some, like ``Authorization``, as bytes)."""
    return {
        name: value.decode("latin-1") if isinstance(value, bytes) else str(value)
        for name, value in request.headers.items()
    }


class Attachment:
    """A registered hook; ``detach()`` (or leaving the ``with`` block) removes it."""

    def __init__(self, client: Client, endpoint: Endpoint) -> None:
        self.client = client
        self.endpoint = endpoint
        self._unique_id = f"pmp-sandbox-{id(self)}"
        for event in EVENTS:
            client.meta.events.register(event, self._send, unique_id=f"{self._unique_id}-{event}")

    def _send(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        url = urlsplit(request.url)
        reply = self.endpoint.handle(
            request.method or "GET",
            url.path,
            url.query,
            _request_headers(request),
            _request_body(request),
        )
        headers = HTTPHeaders()
        for name, value in reply.headers.items():
            headers[name] = value
        return AWSResponse(request.url, reply.status, headers, _Body(reply.body))

    def detach(self) -> None:
        """Stop answering; the client would go back to the network."""
        for event in EVENTS:
            self.client.meta.events.unregister(event, unique_id=f"{self._unique_id}-{event}")

    def __enter__(self) -> Attachment:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.detach()


def attach(
    client: Client,
    marketplace: Dispatcher,
    settings: SandboxSettings | None = None,
    *,
    clock: Clock | None = None,
    sleep: Sleep | None = None,
) -> Attachment:
    """Answer every call of ``client`` from ``marketplace`` until the attachment is detached.

    ``clock`` drives the throttling buckets and ``sleep`` the injected latency (tests pass
    fakes); ``settings`` supplies faults and the access-key → account mapping.
    """
    endpoint = Endpoint(marketplace, settings or SandboxSettings(), sleep=sleep, clock=clock)
    return Attachment(client, endpoint)
