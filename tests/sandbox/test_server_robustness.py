"""The HTTP sandbox against clients that misbehave or crowd it: bad framing, oversized and
deeply nested bodies, IPv6 loopback, a burst of 1,000 simultaneous calls.

Every answer is an HTTP status a client can read; nothing reaches stderr as a traceback.
"""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.config import Config

from pmp_reconcile.sandbox import FakeClock, Marketplace, SandboxSettings, serve
from pmp_reconcile.sandbox.server import MAX_BODY_BYTES, MAX_JSON_DEPTH

LIST = "POST /ListEntities HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n"
BODY = json.dumps({"Catalog": "AWSMarketplace", "EntityType": "Experience"}).encode()


def marketplace() -> Marketplace:
    return Marketplace(SandboxSettings().state, FakeClock())


def exchange(url: str, raw: bytes, timeout: float = 10) -> bytes:
    """Send raw bytes, read until the server closes or answers in full."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as conn:
        conn.sendall(raw)
        conn.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


FRAMING = {
    "not a number": (LIST + "Content-Length: lots\r\n\r\n").encode() + BODY,
    "negative": (LIST + "Content-Length: -5\r\n\r\n").encode() + BODY,
    "two lengths": (LIST + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n").encode() + BODY,
    "chunked": (LIST + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n").encode(),
}


@pytest.mark.parametrize("case", list(FRAMING))
def test_bad_framing_is_a_400(case: str, capfd: pytest.CaptureFixture[str]) -> None:
    with serve(marketplace()) as url:
        answer = exchange(url, FRAMING[case])
    assert status(answer) == 400, answer[:200]
    assert b"ValidationException" in answer
    assert "Traceback" not in capfd.readouterr().err


def test_an_oversized_body_is_a_413_unread(capfd: pytest.CaptureFixture[str]) -> None:
    with serve(marketplace()) as url:
        answer = exchange(url, f"{LIST}Content-Length: {MAX_BODY_BYTES + 1}\r\n\r\n".encode())
    assert status(answer) == 413
    assert "Traceback" not in capfd.readouterr().err


def test_json_nested_too_deep_is_a_400(capfd: pytest.CaptureFixture[str]) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    with serve(marketplace()) as url:
        answer = exchange(url, f"{LIST}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        nested_ok = b'{"a":' * (MAX_JSON_DEPTH - 1) + b"1" + b"}" * (MAX_JSON_DEPTH - 1)
        within = exchange(
            url, f"{LIST}Content-Length: {len(nested_ok)}\r\n\r\n".encode() + nested_ok
        )
    assert status(answer) == 400
    assert b"nests deeper" in answer
    assert b"nests deeper" not in within  # within the limit: it reaches the service
    assert b"ResourceNotFoundException" in within
    assert "Traceback" not in capfd.readouterr().err


def test_a_client_that_hangs_up_mid_body_leaves_stderr_clean(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with serve(marketplace()) as url:
        exchange(url, f"{LIST}Content-Length: 500\r\n\r\n{{".encode())
        parts = urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port), timeout=5) as conn:
            conn.sendall(b"\x16\x03\x01garbage\r\n\r\n")
    assert "Traceback" not in capfd.readouterr().err


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not ipv6_loopback(), reason="this machine has no IPv6 loopback")
def test_ipv6_loopback_is_served() -> None:
    with serve(marketplace(), host="::1") as url:
        assert url.startswith("http://[::1]:")
        client = boto3.client(
            "marketplace-catalog",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            endpoint_url=url,
            config=Config(retries={"total_max_attempts": 1}),
        )
        listed = client.list_entities(Catalog="AWSMarketplace", EntityType="Experience")
    assert listed["EntitySummaryList"] == []


def test_a_thousand_simultaneous_calls_are_all_answered(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """1,000 connections open at once, each sends one call before any answer is read."""
    request = (LIST + f"Connection: close\r\nContent-Length: {len(BODY)}\r\n\r\n").encode() + BODY
    started = time.monotonic()
    with serve(marketplace(), host="127.0.0.1") as url:
        parts = urlsplit(url)
        address = (parts.hostname, parts.port)
        connections = [socket.create_connection(address, timeout=60) for _ in range(1000)]
        try:
            for conn in connections:
                conn.sendall(request)
            answers = [_read_all(conn) for conn in connections]
        finally:
            for conn in connections:
                conn.close()
    assert [status(a) for a in answers] == [200] * 1000
    assert time.monotonic() - started < 90
    assert "Traceback" not in capfd.readouterr().err


def _read_all(conn: socket.socket) -> bytes:
    chunks = []
    while chunk := conn.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)
