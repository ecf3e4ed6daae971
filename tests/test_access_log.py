"""The access log: one line per request on ``userpools.access``, text or JSON, never a secret or a code."""

from __future__ import annotations

import json
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import client_for, error_of
from tests.support import Server

SECRET = "Sekr1t-Passw0rd!"


def _server(*args: str) -> Server:
    return Server(
        f"sqlite:///{tempfile.mkdtemp(prefix='userpools-db-')}/userpools.db", args=("--log-level", "info", *args)
    )


@pytest.fixture(scope="module")
def text_server() -> Iterator[Server]:
    live = _server()
    yield live
    live.stop()


def _lines(server: Server, marker: str, wanted: int = 1) -> list[str]:
    """The access lines containing ``marker``, waiting a moment for them to be written."""
    deadline = time.monotonic() + 5
    while True:
        found = [line for line in server.output().splitlines() if "userpools.access" in line and marker in line]
        if len(found) >= wanted or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def _call_with_secrets(server: Server) -> tuple[str, Any]:
    cognito = client_for(server.url)
    pool = cognito.create_user_pool(PoolName="access-log")["UserPool"]["Id"]
    cognito.admin_create_user(UserPoolId=pool, Username="logged", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool, Username="logged", Password=SECRET, Permanent=True)
    return pool, cognito


def test_text_lines_name_operation_pool_status_and_error(text_server: Server) -> None:
    pool, cognito = _call_with_secrets(text_server)
    with pytest.raises(cognito.exceptions.UserNotFoundException) as missing:
        cognito.admin_get_user(UserPoolId=pool, Username="nobody")
    assert error_of(missing)[0] == "UserNotFoundException"
    (line,) = _lines(text_server, "AdminGetUser")
    words = line.split(" INFO userpools.access: ", 1)[1].split()
    assert words[:5] == ["POST", "/", "AdminGetUser", "400", "UserNotFoundException"]
    assert words[5].endswith("ms") and float(words[5][:-2]) >= 0
    assert words[6] == "127.0.0.1" and f"pool={pool}" in words
    assert any(w.startswith("id=") and len(w) > 10 for w in words)
    (ok,) = _lines(text_server, "AdminSetUserPassword")
    assert " 200 " in ok and SECRET not in text_server.output()


def test_pages_and_unbuilt_operations_leave_a_line_without_query_strings(text_server: Server) -> None:
    before = len(_lines(text_server, "GET /health"))  # the start-up's own polls of /health are lines too
    with urllib.request.urlopen(f"{text_server.url}/health?code=QZ9Y7X&state=xyz") as answer:
        assert answer.status == 200
    health = _lines(text_server, "GET /health", before + 1)[-1]
    assert " 200 " in health and "QZ9Y7X" not in text_server.output() and "state" not in health
    request = urllib.request.Request(
        text_server.url,
        data=b"{}",
        method="POST",
        headers={"x-amz-target": "AWSCognitoIdentityProviderService.GetDerivedToken", "content-type": "x"},
    )
    try:
        urllib.request.urlopen(request)
        status = 200
    except urllib.error.HTTPError as refused:
        status = refused.code
    (unbuilt,) = _lines(text_server, "GetDerivedToken")
    assert f" {status} " in unbuilt  # 501 until built, or the operation's own answer: a line either way


def test_json_lines_carry_the_fields() -> None:
    live = _server("--log-format", "json")
    try:
        pool, cognito = _call_with_secrets(live)
        with pytest.raises(cognito.exceptions.ResourceNotFoundException):
            cognito.describe_user_pool(UserPoolId="us-east-1_nothere1")
        deadline = time.monotonic() + 5
        while True:
            rows = [json.loads(line) for line in live.output().splitlines() if line.startswith("{")]
            access = [row for row in rows if row["logger"] == "userpools.access"]
            # the start-up's polls of /health are lines too: wait for the operation's own line
            if any(row.get("operation") == "DescribeUserPool" for row in access) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        described = next(row for row in access if row.get("operation") == "DescribeUserPool")
        assert described["status"] == 400 and described["error"] == "ResourceNotFoundException"
        assert described["pool"] == "us-east-1_nothere1" and described["method"] == "POST"
        assert described["client"] == "127.0.0.1" and isinstance(described["duration_ms"], float)
        assert described["level"] == "info" and described["request_id"]
        created = next(row for row in access if row.get("operation") == "AdminCreateUser")
        assert created["status"] == 200 and created["pool"] == pool and "error" not in created
        assert SECRET not in live.output()
    finally:
        live.stop()
