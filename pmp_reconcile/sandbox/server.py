"""HTTP transport: the sandbox on a loopback port, for any client that speaks HTTP.

Bound to loopback only: the sandbox checks no signatures, so it must never face a network.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from pmp_reconcile.sandbox.clock import Clock
from pmp_reconcile.sandbox.faults import Sleep
from pmp_reconcile.sandbox.protocol import Dispatcher, Endpoint
from pmp_reconcile.sandbox.settings import SandboxSettings

_log = logging.getLogger(__name__)


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
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        reply = self.server.endpoint.handle(
            self.command, url.path, url.query, dict(self.headers.items()), body
        )
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


class _SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        super().__init__(address, _Handler)


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
