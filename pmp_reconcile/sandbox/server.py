"""HTTP transport: the sandbox on a loopback port, for any client that speaks HTTP.

Bound to loopback only: the sandbox checks no signatures, so it must never face a network.
A request the service would refuse before reading it (a bad ``Content-Length``, a chunked or
oversized body, JSON nested deeper than any Catalog request) gets a 400 or 413 answer, and a
connection that breaks is dropped quietly: nothing a client sends prints a traceback.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from pmp_reconcile.sandbox.clock import Clock
from pmp_reconcile.sandbox.faults import Sleep
from pmp_reconcile.sandbox.protocol import Dispatcher, Endpoint, Reply, error_reply
from pmp_reconcile.sandbox.settings import SandboxSettings

_log = logging.getLogger(__name__)
#: Far above any Catalog request (20 changes of at most 16,384 characters of Details each).
MAX_BODY_BYTES = 4 * 1024 * 1024
#: Catalog requests nest a handful of levels; deeper JSON would only exhaust the parser's stack.
MAX_JSON_DEPTH = 64
#: Pending connections the kernel holds before accept(): a burst of clients must not be refused.
LISTEN_BACKLOG = 1024


def is_loopback(host: str) -> bool:
    """Whether ``host`` names a loopback interface (``localhost`` or 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to the server's :class:`Endpoint`."""

    server: _SandboxHTTPServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes; don't wait 40 ms
    timeout = 30  # an idle keep-alive connection must not pin a thread forever

    def _serve(self) -> None:
        refused, body = self._body()
        if refused is None and _nesting(body) > MAX_JSON_DEPTH:
            refused = _bad_request(f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels")
        if refused is not None:
            self.close_connection = True
            self._send(refused)
            return
        url = urlsplit(self.path)
        self._send(
            self.server.endpoint.handle(
                self.command, url.path, url.query, dict(self.headers.items()), body
            )
        )

    def _body(self) -> tuple[Reply | None, bytes]:
        """The request body, or the answer refusing it unread."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return _bad_request("chunked request bodies are not accepted; send Content-Length"), b""
        declared = self.headers.get_all("Content-Length") or ["0"]
        if len(set(declared)) > 1 or not declared[0].strip().isdigit():
            return _bad_request(f"bad Content-Length: {', '.join(declared)!r}"), b""
        length = int(declared[0])
        if length > MAX_BODY_BYTES:
            message = f"the body of {length} bytes is larger than {MAX_BODY_BYTES}"
            return error_reply(413, "RequestEntityTooLarge", message), b""
        return None, self.rfile.read(length) if length else b""

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def do_GET(self) -> None:  # http.server calls do_<METHOD>
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: object) -> None:
        _log.debug("%s " + format, self.address_string(), *args)


def _bad_request(message: str) -> Reply:
    return error_reply(400, "ValidationException", message)


def _nesting(body: bytes) -> int:
    """How deep the brackets of a JSON text nest, strings skipped (a linear scan, no parse)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            escaped, in_string = (False, True) if escaped else (byte == 0x5C, byte != 0x22)
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


class _SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up or times out mid-request is its own business: log, no trace."""
        _log.debug("dropped a connection from %s", client_address, exc_info=True)


class SandboxServer:
    """A started/stoppable HTTP sandbox; :func:`serve` is the usual way in."""

    def __init__(
        self,
        marketplace: Dispatcher,
        host: str = "127.0.0.1",
        port: int = 0,
        settings: SandboxSettings | None = None,
        *,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        if not is_loopback(host):
            raise ValueError(f"the sandbox serves loopback addresses only, not {host!r}")
        endpoint = Endpoint(marketplace, settings or SandboxSettings(), sleep=sleep, clock=clock)
        self._httpd = _SandboxHTTPServer((host, port), endpoint)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # how soon stop() is noticed
            name="pmp-sandbox-http",
            daemon=True,
        )

    @property
    def url(self) -> str:
        """The base URL clients pass as ``endpoint_url``."""
        host, port = self._httpd.server_address[:2]
        text = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{text}]" if ":" in text else text
        return f"http://{shown}:{port}"

    def start(self) -> str:
        self._thread.start()
        return self.url

    def stop(self) -> None:
        """Finish the request in flight, stop accepting, close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


@contextmanager
def serve(
    marketplace: Dispatcher,
    host: str = "127.0.0.1",
    port: int = 0,
    settings: SandboxSettings | None = None,
    *,
    clock: Clock | None = None,
    sleep: Sleep | None = None,
) -> Iterator[str]:
    """Serve ``marketplace`` over HTTP while the block runs; yields the base URL."""
    server = SandboxServer(marketplace, host, port, settings, clock=clock, sleep=sleep)
    url = server.start()
    try:
        yield url
    finally:
        server.stop()
