"""Logo URLs checked before apply, against a local HTTP server on 127.0.0.1.

The server plays the hosts AWS would copy a logo from: a good png, an svg, a 600 KB file, a
404, an HTML page and a host that answers only after several seconds. The checks run
concurrently and a plan waits for them only until the deadline.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pmp_reconcile.logos import LogoChecker
from pmp_reconcile.model import LogoFinding
from pmp_reconcile.sandbox import PersistentSandbox

from clirun import run_cli

Golden = Callable[[str, str], None]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2_000
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="30"/>'
BIG = b"\x89PNG\r\n\x1a\n" + b"\x00" * (600 * 1024 - 8)
SLOW_SECONDS = 5.0
#: path → (status, content type, body)
PAGES = {
    "/logo.png": (200, "image/png", PNG),
    "/logo.svg": (200, "image/svg+xml", SVG),
    "/big.png": (200, "image/png", BIG),
    "/big-unsized.png": (200, "image/png", BIG),  # no Content-Length: read up to the limit
    "/page.png": (200, "text/html", b"<html><body>Not found, sorry</body></html>"),
}


class Host(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/slow.png":
            time.sleep(SLOW_SECONDS)
        status, kind, body = PAGES.get(path, (404, "text/plain", b"no such logo"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if "unsized" not in path:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the checker may hang up first (too large, slow)
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read findings, not access logs."""


@pytest.fixture(scope="module")
def host() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Host)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def found(urls: list[str], deadline: float = 1.5) -> dict[str, LogoFinding]:
    return {f.url: f for f in LogoChecker(deadline=deadline).start(urls).findings()}


def test_a_png_and_an_svg_pass(host: str) -> None:
    assert found([f"{host}/logo.png", f"{host}/logo.svg"]) == {}


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/big.png", "is over 500 KB (614,400 bytes)"),
        ("/big-unsized.png", "is over 500 KB (more than 500,000 bytes)"),
        ("/missing.png", "cannot be fetched (HTTP 404)"),
        ("/page.png", "is not a png or svg image (Content-Type: text/html)"),
    ],
)
def test_what_aws_would_refuse_is_found(host: str, path: str, problem: str) -> None:
    url = f"{host}{path}"
    assert found([url]) == {url: LogoFinding(url=url, problem=problem)}


def test_a_host_nobody_listens_on_cannot_be_fetched() -> None:
    url = "http://127.0.0.1:9/logo.png"
    (finding,) = found([url]).values()
    assert finding.checked
    assert finding.problem.startswith("cannot be fetched (")


def test_a_slow_host_is_not_waited_for_and_said_unchecked(host: str) -> None:
    url = f"{host}/slow.png"
    started = time.monotonic()
    findings = found([url], deadline=0.5)
    assert time.monotonic() - started < 1.5 < SLOW_SECONDS
    late = "did not answer within 0.5 s, so it was not checked"
    assert findings == {url: LogoFinding(url=url, problem=late, checked=False)}


def test_checks_run_concurrently_within_one_deadline(host: str) -> None:
    urls = [f"{host}/slow.png?{n}" for n in range(4)] + [f"{host}/big.png", f"{host}/logo.png"]
    started = time.monotonic()
    findings = found(urls, deadline=0.5)
    assert time.monotonic() - started < 1.5  # not four slow hosts one after another
    assert sorted(f.checked for f in findings.values()) == [False] * 4 + [True]


def tree_with_logos(root: Path, host: str) -> Path:
    tree = root / "desired_state"
    (tree / "experiences").mkdir(parents=True)
    for key, path in (("good", "/logo.png"), ("missing", "/missing.png")):
        text = f"name: {key.title()}\nbranding:\n  title: {key.title()}\n  logo_url: {host}{path}\n"
        (tree / "experiences" / f"{key}.yaml").write_text(text, encoding="utf-8")
    return tree


def test_plan_warns_of_a_logo_aws_cannot_copy_unless_offline(tmp_path: Path, host: str) -> None:
    tree, home = tree_with_logos(tmp_path, host), tmp_path / "sandbox"
    PersistentSandbox(home)
    planned = run_cli("--sandbox", "plan", str(tree), home=home)
    assert planned.returncode == 0, planned.stderr
    warned = [line for line in planned.stdout.splitlines() if "W501" in line]
    assert warned == [
        f"! warning W501: {tree}/experiences/missing.yaml:1:1: experience 'missing': logo_url "
        f"{host}/missing.png cannot be fetched (HTTP 404); AWS copies the logo when the change "
        "set runs and would fail it"
    ]
    offline = run_cli("--sandbox", "plan", str(tree), "--offline", home=home)
    assert offline.returncode == 0, offline.stderr
    assert "W50" not in offline.stdout
