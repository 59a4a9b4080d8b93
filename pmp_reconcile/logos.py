"""Logo URLs fetched before apply, as AWS will fetch them when it copies the image.

AWS fails a branding change set when the logo cannot be fetched (``INVALID_URL``) or is not a
png or svg of at most 500 KB (``INVALID_IMAGE``). A plan checks the URLs it would send, each
in a thread of its own while the plan goes on, and waits for them only until a short
deadline: a slow host never holds a plan up, it is reported as not checked.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.client import HTTPResponse

from pmp_reconcile.model import LogoFinding

#: AWS: "Only .png and .svg file types with sizes less than or equal to 500KB are supported".
MAX_BYTES = 500_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEADLINE_SECONDS = 3.0
CHUNK = 64 * 1024


class TooSlow(Exception):
    """The host did not answer, or trickled its answer, past the deadline."""


@dataclass(frozen=True)
class LogoChecker:
    """Checks logo URLs in the background; ``deadline`` bounds how long a plan waits."""

    deadline: float = DEADLINE_SECONDS
    clock: Callable[[], float] = time.monotonic

    def start(self, urls: Sequence[str]) -> LogoChecks:
        checks = LogoChecks(self.clock() + self.deadline, self.deadline, self.clock)
        for url in urls:
            checks.run(url)
        return checks


@dataclass
class LogoChecks:
    """Checks under way; :meth:`findings` waits for them until the deadline at most."""

    until: float
    deadline: float
    clock: Callable[[], float]
    _threads: dict[str, threading.Thread] = field(default_factory=dict)
    _found: dict[str, LogoFinding | None] = field(default_factory=dict)

    def run(self, url: str) -> None:
        # daemon threads: one stuck on a slow host never holds up the process's exit
        thread = threading.Thread(target=self._check, args=(url,), daemon=True)
        self._threads[url] = thread
        thread.start()

    def _check(self, url: str) -> None:
        try:
            self._found[url] = check_logo(url, self.until, self.clock)
        except TooSlow:
            return  # left out of _found: reported as not answered in time

    def findings(self) -> list[LogoFinding]:
        """What was found wrong, and the URLs that did not answer in time (not checked)."""
        for thread in self._threads.values():
            thread.join(max(0.0, self.until - self.clock()))
        return [f for url in self._threads if (f := self._finding(url)) is not None]

    def _finding(self, url: str) -> LogoFinding | None:
        if url not in self._found:
            late = f"did not answer within {self.deadline:g} s, so it was not checked"
            return LogoFinding(url=url, problem=late, checked=False)
        return self._found[url]


def check_logo(url: str, until: float, clock: Callable[[], float]) -> LogoFinding | None:
    """None when AWS could copy the logo at ``url``; else what it would refuse. Raises
    :class:`TooSlow` when the answer is not in by ``until``."""
    request = urllib.request.Request(url, headers={"User-Agent": "pmp-reconcile logo check"})
    try:
        with urllib.request.urlopen(request, timeout=max(0.1, until - clock())) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > MAX_BYTES:
                return _too_large(url, int(declared))
            body = _read(response, until, clock)
            kind = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return LogoFinding(url=url, problem=f"cannot be fetched (HTTP {error.code})")
    except TimeoutError as error:
        raise TooSlow from error
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):  # connecting timed out
            raise TooSlow from error
        return LogoFinding(url=url, problem=f"cannot be fetched ({reason})")
    return _image_problem(url, body, kind)


def _read(response: HTTPResponse, until: float, clock: Callable[[], float]) -> bytes:
    """Up to one byte past the limit, giving up at the deadline."""
    body = b""
    while len(body) <= MAX_BYTES:
        if clock() >= until:
            raise TooSlow
        chunk = response.read(CHUNK)
        if not chunk:
            break
        body += chunk
    return body


def _image_problem(url: str, body: bytes, kind: str) -> LogoFinding | None:
    if len(body) > MAX_BYTES:
        return _too_large(url, None)
    if body.startswith(PNG_SIGNATURE) or b"<svg" in body.lower():
        return None
    return LogoFinding(url=url, problem=f"is not a png or svg image (Content-Type: {kind})")


def _too_large(url: str, size: int | None) -> LogoFinding:
    shown = f"{size:,} bytes" if size is not None else f"more than {MAX_BYTES:,} bytes"
    return LogoFinding(url=url, problem=f"is over 500 KB ({shown})")
