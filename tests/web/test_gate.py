"""Management routes locked down (issue 15): SigV4 (service "userpools") when the server is locked, no
cross-site writes in any mode, no CORS for /_userpools, and no codes in a production outbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from tests.conftest import BACKENDS
from tests.signin import confirmed_user, make_client, password_auth
from tests.support import Server
from userpools import signing
from userpools.domain.sealing import new_key_text

KEY = Credentials("AKIDADMIN", "admin-secret")
CREDENTIALS = "AKIDADMIN:admin-secret"


def aws(url: str, keys: Credentials | None) -> Any:
    config = Config(retries={"max_attempts": 1}, signature_version=UNSIGNED if keys is None else None)
    return boto3.client(
        "cognito-idp",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=keys.access_key if keys else "x",
        aws_secret_access_key=keys.secret_key if keys else "x",
        config=config,
    )


def call(
    url: str,
    *,
    method: str = "GET",
    body: dict[str, Any] | None = None,
    keys: Credentials | None = None,
    headers: dict[str, str] | None = None,
    service: str = "userpools",
) -> tuple[int, Any, dict[str, str]]:
    """(status, JSON body, headers lower-cased) of a management request, signed with ``keys`` if given."""
    data = json.dumps(body).encode() if body is not None else b""
    request = signing.signed(url, method=method, body=data, keys=keys, region="us-east-1")
    if keys is not None and service != signing.SERVICE:
        signed = AWSRequest(method=method, url=url, data=data, headers={"content-type": "application/json"})
        SigV4Auth(keys, service, "us-east-1").add_auth(signed)
        request = urllib.request.Request(url, data=data or None, headers=dict(signed.headers.items()), method=method)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, json.load(answer), {k.lower(): v for k, v in answer.headers.items()}
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused), {k.lower(): v for k, v in refused.headers.items()}


def start(database_url: str, **env: str) -> Server:
    return Server(database_url, env={"USERPOOLS_MASTER_KEY": new_key_text(), **env})


@pytest.fixture(scope="module", params=BACKENDS)
def production(request: pytest.FixtureRequest, database_url_for: Callable[[str], str]) -> Iterator[Server]:
    live = start(database_url_for(request.param), USERPOOLS_PRODUCTION="true", USERPOOLS_CREDENTIALS=CREDENTIALS)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def credentialed(database_url_for: Callable[[str], str]) -> Iterator[Server]:
    """Credentials set, not production mode: the outbox keeps codes (signed reads only) for 10 minutes."""
    live = start(database_url_for("sqlite"), USERPOOLS_CREDENTIALS=CREDENTIALS, USERPOOLS_OUTBOX_RETENTION="600")
    yield live
    live.stop()


def test_the_outbox_takeover_fails_in_production_mode(production: Server) -> None:
    """The issue's path: unsigned ForgotPassword, unauthenticated outbox read, ConfirmForgotPassword with a
    password of the attacker's choice, InitiateAuth with it. The code never leaves the server."""
    admin = aws(production.url, KEY)
    pool = admin.create_user_pool(PoolName="prod", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client = make_client(admin, pool)["ClientId"]
    confirmed_user(production, admin, pool, "alice", "Own3r-Passw0rd!")
    attacker = aws(production.url, None)
    attacker.forgot_password(ClientId=client, Username="alice")

    for path in (f"/_userpools/outbox?username=alice&pool={pool}", "/_userpools/outbox", "/_userpools/clock"):
        status, body, headers = call(production.url + path)
        assert status == 403
        assert "SigV4" in body["error"] and body["code"] == "SignatureRequired"
        assert "access-control-allow-origin" not in headers
    status, body, _ = call(f"{production.url}/_userpools/outbox?pool={pool}", keys=Credentials("AKIDADMIN", "wrong"))
    assert status == 403 and "signature" in body["error"]
    status, body, _ = call(f"{production.url}/_userpools/outbox?pool={pool}", keys=KEY, service="cognito-idp")
    assert (status, body["error"]) == (403, "sign management requests for the service 'userpools', not 'cognito-idp'")

    status, messages, _ = call(f"{production.url}/_userpools/outbox?pool={pool}&username=alice", keys=KEY)
    assert status == 200
    (reset,) = messages
    assert reset["kind"] and reset["destination"] == "alice@example.com"
    assert (reset["body"], reset["code"]) == (None, None)  # production mode keeps no bodies or codes

    with pytest.raises(attacker.exceptions.CodeMismatchException):
        attacker.confirm_forgot_password(
            ClientId=client, Username="alice", ConfirmationCode="123456", Password="Attack3r-Passw0rd!"
        )
    with pytest.raises(attacker.exceptions.NotAuthorizedException):
        password_auth(attacker, client, "alice", "Attack3r-Passw0rd!")
    assert password_auth(attacker, client, "alice", "Own3r-Passw0rd!")["AuthenticationResult"]["AccessToken"]


def test_reset_and_clock_in_production_mode(production: Server) -> None:
    assert call(f"{production.url}/_userpools/reset", method="POST", body={})[0] == 403
    status, body, _ = call(f"{production.url}/_userpools/reset", method="POST", body={}, keys=KEY)
    assert (status, body["error"]) == (403, "reset is disabled in production mode")
    status, body, _ = call(f"{production.url}/_userpools/clock", keys=KEY)
    assert status == 200 and body["offset"] == 0


def test_production_without_credentials_turns_management_off(database_url_for: Callable[[str], str]) -> None:
    live = start(database_url_for("sqlite"), USERPOOLS_PRODUCTION="true")
    try:
        status, body, _ = call(f"{live.url}/_userpools/outbox")
        assert (status, body["code"]) == (403, "ManagementOff")
    finally:
        live.stop()


def test_production_may_keep_outbox_content_for_signed_readers(database_url_for: Callable[[str], str]) -> None:
    live = start(
        database_url_for("sqlite"),
        USERPOOLS_PRODUCTION="true",
        USERPOOLS_CREDENTIALS=CREDENTIALS,
        USERPOOLS_OUTBOX_CONTENT="true",
    )
    try:
        admin = aws(live.url, KEY)
        pool = admin.create_user_pool(PoolName="kept")["UserPool"]["Id"]
        admin.admin_create_user(
            UserPoolId=pool,
            Username="bob",
            DesiredDeliveryMediums=["EMAIL"],
            UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
        )
        _, (invitation,), _ = call(f"{live.url}/_userpools/outbox?pool={pool}", keys=KEY)
        assert invitation["code"] and invitation["code"] in invitation["body"]
        assert call(f"{live.url}/_userpools/outbox?pool={pool}")[0] == 403
    finally:
        live.stop()


def test_credentials_lock_reset_and_messages_expire(credentialed: Server) -> None:
    admin = aws(credentialed.url, KEY)
    pool = admin.create_user_pool(PoolName="dev")["UserPool"]["Id"]
    admin.admin_create_user(
        UserPoolId=pool,
        Username="carol",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "carol@example.com"}],
    )
    status, (invitation,), _ = call(f"{credentialed.url}/_userpools/outbox?pool={pool}", keys=KEY)
    assert status == 200 and invitation["code"]  # not production mode: content kept
    assert call(f"{credentialed.url}/_userpools/outbox?pool={pool}")[0] == 403
    assert call(f"{credentialed.url}/_userpools/reset", method="POST", body={})[0] == 403
    assert admin.describe_user_pool(UserPoolId=pool)["UserPool"]["Id"] == pool  # not reset

    url = f"{credentialed.url}/_userpools/clock"
    assert call(url, method="POST", body={"advance": 601})[0] == 403
    assert call(url, method="POST", body={"advance": 601}, keys=KEY)[0] == 200
    try:
        assert call(f"{credentialed.url}/_userpools/outbox?pool={pool}", keys=KEY)[1] == []  # past its retention
    finally:
        call(url, method="POST", body={"offset": 0}, keys=KEY)

    assert call(f"{credentialed.url}/_userpools/reset", method="POST", body={}, keys=KEY)[0] == 200
    with pytest.raises(admin.exceptions.ResourceNotFoundException):
        admin.describe_user_pool(UserPoolId=pool)


def test_outbox_command_signs_with_the_configured_credentials(credentialed: Server) -> None:
    admin = aws(credentialed.url, KEY)
    pool = admin.create_user_pool(PoolName="cli")["UserPool"]["Id"]
    admin.admin_create_user(
        UserPoolId=pool,
        Username="dave",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "dave@example.com"}],
    )
    command = [sys.executable, "-m", "userpools", "outbox", "--url", credentialed.url, "--pool", pool, "--json"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run(command, capture_output=True, text=True, env={**env, "USERPOOLS_CREDENTIALS": CREDENTIALS})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["destination"] == "dave@example.com"
    refused = subprocess.run(command, capture_output=True, text=True, env={**env, "HOME": "/nonexistent"})
    assert refused.returncode != 0 and "403" in refused.stderr


# --- cross-site requests and CORS, in local development mode (the shared server) ---------------------


def test_a_web_page_cannot_reset_or_move_a_local_server(server: Server, cognito: Any, pool: str) -> None:
    for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}):
        status, body, _ = call(f"{server.url}/_userpools/reset", method="POST", body={}, headers=headers)
        assert (status, body["code"]) == (403, "CrossSiteRequestRefused")
        assert call(f"{server.url}/_userpools/clock", method="POST", body={"offset": 0}, headers=headers)[0] == 403
    assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["Id"] == pool  # not reset
    same = {"Origin": server.url, "Sec-Fetch-Site": "same-origin"}
    assert call(f"{server.url}/_userpools/clock", method="POST", body={"offset": 0}, headers=same)[0] == 200


def test_management_routes_answer_no_cors(server: Server) -> None:
    status, _, headers = call(f"{server.url}/_userpools/outbox", headers={"Origin": "http://evil.example"})
    assert status == 200 and "access-control-allow-origin" not in headers
    preflight = urllib.request.Request(
        f"{server.url}/_userpools/reset",
        method="OPTIONS",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(preflight)
    assert "access-control-allow-origin" not in {k.lower() for k in refused.value.headers}


def test_the_aws_api_keeps_its_cors(server: Server) -> None:
    request = urllib.request.Request(
        f"{server.url}/",
        method="POST",
        data=b'{"MaxResults": 1}',
        headers={
            "Origin": "http://app.example",
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools",
        },
    )
    with urllib.request.urlopen(request) as answer:
        assert answer.headers["access-control-allow-origin"] in ("*", "http://app.example")
