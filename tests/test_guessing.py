"""Guessing made expensive: the lockout holds at every failure count, and an optional rate limit per client
address and per pool answers TooManyRequestsException."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.conftest import BACKENDS, client_for
from tests.signin import NEW_PASSWORD, confirmed_user, make_client, password_auth
from tests.support import Server
from userpools.settings import Settings

WRONG = "Wrong-Passw0rd!"


def attempt(cognito: Any, client_id: str, password: str) -> str:
    try:
        password_auth(cognito, client_id, "alice", password)
    except ClientError as error:
        code, message = error.response["Error"]["Code"], error.response["Error"]["Message"]
        assert code == "NotAuthorizedException", (code, message)
        return str(message)
    return "signed in"


def test_lockout_holds_at_every_failure_count(
    server: Server, cognito: Any, pool: str, move_clock: Callable[[float], None]
) -> None:
    """60 consecutive failures (the audit's overflow came at the 51st), each after the last lockout ended:
    every one is refused as a wrong password, every right password during a lockout as locked out."""
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    for failure in range(1, 61):
        assert attempt(cognito, client_id, WRONG) == "Incorrect username or password."
        if failure >= 5:
            assert attempt(cognito, client_id, NEW_PASSWORD) == "Password attempts exceeded"
            move_clock(min(900, 2 ** (failure - 5)) + 1)  # just past this lockout
    assert attempt(cognito, client_id, NEW_PASSWORD) == "signed in"
    assert attempt(cognito, client_id, WRONG) == "Incorrect username or password."
    assert attempt(cognito, client_id, NEW_PASSWORD) == "signed in"  # the count started again


def test_lockout_is_forgotten_15_minutes_after_it_ends(
    server: Server, cognito: Any, pool: str, move_clock: Callable[[float], None]
) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    for _ in range(6):
        attempt(cognito, client_id, WRONG)
    move_clock(2 + 900 + 1)  # the 2-second lockout, then 15 minutes without attempts
    assert attempt(cognito, client_id, WRONG) == "Incorrect username or password."
    assert attempt(cognito, client_id, NEW_PASSWORD) == "signed in"  # one failure: no lockout


def test_rate_limits_are_on_in_production_mode_only() -> None:
    assert (Settings.from_env({}).rate_limit_address, Settings.from_env({}).rate_limit_pool) == (0, 0)
    production = Settings.from_env({"USERPOOLS_PRODUCTION": "true"})
    assert (production.rate_limit_address, production.rate_limit_pool) == (50, 120)
    tuned = Settings.from_env({"USERPOOLS_PRODUCTION": "true", "USERPOOLS_RATE_LIMIT_ADDRESS": "0"})
    assert tuned.rate_limit_address == 0


@pytest.fixture(scope="module", params=BACKENDS)
def limited(request: pytest.FixtureRequest, database_url_for: Callable[[str], str]) -> Iterator[Server]:
    env = {"USERPOOLS_RATE_LIMIT_ADDRESS": "20", "USERPOOLS_RATE_LIMIT_POOL": "5"}
    live = Server(database_url_for(request.param), env=env)
    yield live
    live.stop()


def burst(server: Server, calls: int, operation: str, body: dict[str, Any]) -> list[str]:
    """``calls`` requests back to back on one keep-alive connection: their outcomes (``ok`` or the error)."""
    headers = {"x-amz-target": f"AWSCognitoIdentityProviderService.{operation}"}
    with httpx.Client(base_url=server.url) as http:
        answers = [http.post("/", content=json.dumps(body).encode(), headers=headers) for _ in range(calls)]
    assert {a.status_code for a in answers} <= {200, 400}
    assert all(
        a.json() == {"__type": "TooManyRequestsException", "message": "Rate exceeded"}
        for a in answers
        if a.status_code == 400
    )
    return ["ok" if a.status_code == 200 else str(a.json()["__type"]) for a in answers]


def test_rate_limit_per_pool(limited: Server) -> None:
    cognito = client_for(limited.url)
    time.sleep(2)  # a full bucket for this address
    pool = cognito.create_user_pool(PoolName="limited")["UserPool"]["Id"]
    other = cognito.create_user_pool(PoolName="other")["UserPool"]["Id"]
    time.sleep(2)
    outcomes = burst(limited, 60, "DescribeUserPool", {"UserPoolId": pool})
    assert outcomes[:10] == ["ok"] * 10  # a burst of twice the rate
    assert outcomes.count("TooManyRequestsException") >= 20
    # (boto3 retries a throttled call after a pause, by which time the bucket has refilled: raw HTTP here)
    assert cognito.describe_user_pool(UserPoolId=other)["UserPool"]["Id"] == other  # another pool's bucket
    time.sleep(1.5)
    assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["Id"] == pool  # refilled


def test_rate_limit_per_address(limited: Server) -> None:
    time.sleep(2)
    outcomes = burst(limited, 200, "ListUserPools", {"MaxResults": 1})
    assert outcomes[:40] == ["ok"] * 40
    assert outcomes.count("TooManyRequestsException") >= 50
    assert httpx.get(limited.url + "/health").status_code == 200  # the server itself is not held up
    time.sleep(2)
    assert "UserPools" in client_for(limited.url).list_user_pools(MaxResults=1)
