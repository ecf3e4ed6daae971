"""Connections that cannot stall or exhaust the server (connections.py): request deadlines, size caps and a
connection cap, against a live server with small limits."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import BACKENDS, client_for
from tests.support import Server

LIMITS = {
    "USERPOOLS_REQUEST_TIMEOUT": "1",
    "USERPOOLS_KEEP_ALIVE_TIMEOUT": "1",
    "USERPOOLS_MAX_CONNECTIONS": "40",
    "USERPOOLS_MAX_BODY_BYTES": "65536",
    "USERPOOLS_MAX_HEADER_BYTES": "8192",
}
TARGET = "AWSCognitoIdentityProviderService."


@pytest.fixture(scope="module", params=BACKENDS)
def limited(request: pytest.FixtureRequest, database_url_for: Callable[[str], str]) -> Iterator[Server]:
    live = Server(database_url_for(request.param), env=LIMITS)
    yield live
    live.stop()


def connect(server: Server) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    return sock


def closed_within(sock: socket.socket, seconds: float) -> bool:
    """True if the server closes the connection within ``seconds`` (whatever it wrote first is read)."""
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True


def test_a_connection_that_sends_nothing_is_closed(limited: Server) -> None:
    with connect(limited) as sock:
        assert closed_within(sock, 4)


def test_slowloris_is_closed(limited: Server) -> None:
    """Headers sent a few bytes at a time, never ending: closed once the request deadline passes."""
    with connect(limited) as sock:
        started = time.monotonic()
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
        closed = False
        while time.monotonic() - started < 5:
            try:
                sock.sendall(b"X-a: b\r\n")
            except OSError:
                closed = True
                break
            if closed_within(sock, 0.3):
                closed = True
                break
        assert closed
        assert time.monotonic() - started < 4


def test_a_request_after_a_slow_upload_has_the_ordinary_deadline(limited: Server) -> None:
    """An upload may take its URL's lifetime to arrive; the next request on the same connection may not."""
    cognito = client_for(limited.url)
    pool = cognito.create_user_pool(PoolName="uploads")["UserPool"]["Id"]
    role = "arn:aws:iam::111111111111:role/CognitoImportRole"
    job = cognito.create_user_import_job(JobName="slow", UserPoolId=pool, CloudWatchLogsRoleArn=role)
    url = httpx.URL(job["UserImportJob"]["PreSignedUrl"])
    body = b"cognito:username,email\nslow,slow@example.com\n"
    with connect(limited) as sock:
        head = f"PUT {url.raw_path.decode()} HTTP/1.1\r\nHost: x\r\nx-amz-server-side-encryption: aws:kms\r\n"
        sock.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode())
        time.sleep(1.5)  # past the ordinary deadline: an upload's own is longer
        sock.sendall(body)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
        closed = False
        while time.monotonic() - started < 6:
            try:
                sock.sendall(b"X-a: b\r\n")
            except OSError:
                closed = True
                break
            if closed_within(sock, 0.3):
                closed = True
                break
        assert closed
        assert time.monotonic() - started < 4


def test_idle_keep_alive_is_closed(limited: Server) -> None:
    with connect(limited) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        assert closed_within(sock, 4)


def test_headers_too_large(limited: Server) -> None:
    answer = httpx.post(limited.url + "/", headers={"x-amz-target": TARGET + "ListUserPools", "x-big": "a" * 10000})
    assert answer.status_code == 431
    assert answer.json()["__type"] == "SerializationException"


def test_a_head_that_never_ends_is_refused_once_past_the_cap(limited: Server) -> None:
    """Headers that keep coming, in pieces, without the blank line that ends them: 431 once more than
    USERPOOLS_MAX_HEADER_BYTES arrived, long before the request deadline."""
    with connect(limited) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
        answer = b""
        for _ in range(20):  # 20 x 1,000 bytes: past the 8,192-byte cap by the ninth piece
            try:
                sock.sendall(b"X-a: " + b"b" * 993 + b"\r\n")
            except OSError:
                break
            time.sleep(0.01)
        sock.settimeout(0.9)  # under the 1 s request deadline, which would close it without an answer
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    assert answer.startswith(b"HTTP/1.1 431"), answer[:100]
    assert b'"__type":"SerializationException"' in answer


@pytest.mark.parametrize("chunked", [False, True])
def test_body_too_large(limited: Server, chunked: bool) -> None:
    body = json.dumps({"UserPoolId": "us-east-1_a", "Username": "a" * 70000}).encode()
    headers = {"x-amz-target": TARGET + "AdminGetUser", "content-type": "application/x-amz-json-1.1"}
    content: bytes | Iterator[bytes] = (
        iter([body[i : i + 4096] for i in range(0, len(body), 4096)]) if chunked else body
    )
    try:
        answer = httpx.post(limited.url + "/", content=content, headers=headers)
    except httpx.WriteError:  # the server answered and closed while the rest was being sent
        return
    assert answer.status_code == 413
    assert answer.json() == {
        "__type": "SerializationException",
        "message": "The request body is larger than 65536 bytes.",
    }


def test_a_body_within_the_limit_is_served(limited: Server) -> None:
    body = json.dumps({"PoolName": "p", "AdminCreateUserConfig": {"InviteMessageTemplate": {"EmailMessage": "x"}}})
    answer = httpx.post(
        limited.url + "/",
        content=body.encode(),
        headers={"x-amz-target": TARGET + "ListUserPools", "content-type": "application/x-amz-json-1.1"},
    )
    assert answer.status_code == 400  # MaxResults is required: read, parsed and validated
    assert answer.json()["__type"] == "InvalidParameterException"


def test_connections_past_the_cap_are_refused_and_logged(limited: Server) -> None:
    held = [connect(limited) for _ in range(45)]
    try:
        time.sleep(0.3)
        refused = sum(closed_within(sock, 0.2) for sock in held[-5:])
        assert refused >= 1
        assert "Refusing connections" in limited.output()
    finally:
        for sock in held:
            sock.close()
    time.sleep(1.5)  # the held ones are closed by their deadline anyway; health answers again
    assert httpx.get(limited.url + "/health").status_code == 200
