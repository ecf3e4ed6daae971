"""/_userpools/clock: a live server's clock moved by a test suite."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import jwt
import pytest

from tests.conftest import post_json
from tests.signin import confirmed_user, make_client, password_auth
from tests.support import Server
from userpools.domain.sealing import new_key_text


def test_moved_clock_dates_tokens_and_expires_temporary_passwords(
    server: Server, cognito: Any, make_pool: Callable[..., str], move_clock: Callable[[float], None]
) -> None:
    pool = make_pool(Policies={"PasswordPolicy": {"MinimumLength": 8, "TemporaryPasswordValidityDays": 1}})
    client = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    before = password_auth(cognito, client, "alice", "N3w-Passw0rd!")["AuthenticationResult"]["IdToken"]
    cognito.admin_create_user(
        UserPoolId=pool, Username="bob", TemporaryPassword="Temp-Pass1!", MessageAction="SUPPRESS"
    )
    move_clock(2 * 86400)
    after = password_auth(cognito, client, "alice", "N3w-Passw0rd!")["AuthenticationResult"]["IdToken"]
    iat = [jwt.decode(t, options={"verify_signature": False})["iat"] for t in (before, after)]
    assert 2 * 86400 - 60 < iat[1] - iat[0] < 2 * 86400 + 60
    with pytest.raises(cognito.exceptions.NotAuthorizedException) as refused:
        password_auth(cognito, client, "bob", "Temp-Pass1!")
    assert "expired" in refused.value.response["Error"]["Message"]


def test_clock_refuses_bad_input(server: Server) -> None:
    for body in ({}, {"advance": "soon"}, {"later": 5}, {"advance": 1e12}):
        with pytest.raises(urllib.error.HTTPError) as refused:
            post_json(f"{server.url}/_userpools/clock", body)
        assert refused.value.code == 400
    with urllib.request.urlopen(f"{server.url}/_userpools/clock") as answer:
        assert answer.status == 200


def test_clock_cannot_move_in_production_mode(database_url_for: Callable[[str], str]) -> None:
    env = {"USERPOOLS_PRODUCTION": "true", "USERPOOLS_MASTER_KEY": new_key_text()}
    live = Server(database_url_for("sqlite"), env=env)
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            post_json(f"{live.url}/_userpools/clock", {"advance": 60})
        assert refused.value.code == 403
    finally:
        live.stop()
