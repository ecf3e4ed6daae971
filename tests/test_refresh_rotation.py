"""Refresh-token rotation (an app client's RefreshTokenRotation) through boto3's GetTokensFromRefreshToken:
a new refresh token on each use, the grace period for retries, and reuse revoking the whole chain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.signin import NEW_PASSWORD, confirmed_user, make_client, password_auth
from tests.support import Server

REVOKED = ("NotAuthorizedException", "Refresh Token has been revoked")


def signed_in(server: Server, cognito: Any, pool: str, grace: int) -> tuple[str, dict[str, Any]]:
    client_id = make_client(
        cognito, pool, RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": grace}
    )["ClientId"]
    confirmed_user(server, cognito, pool)
    return client_id, password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]


def refreshed(cognito: Any, client_id: str, token: str) -> dict[str, Any]:
    return dict(cognito.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=token)["AuthenticationResult"])


def refused(cognito: Any, client_id: str, token: str) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        refreshed(cognito, client_id, token)
    return error_of(excinfo)


def test_each_refresh_rotates_and_reuse_revokes_the_chain(server: Server, cognito: Any, pool: str) -> None:
    client_id, first = signed_in(server, cognito, pool, grace=0)
    second = refreshed(cognito, client_id, first["RefreshToken"])
    assert second["RefreshToken"] != first["RefreshToken"]
    third = refreshed(cognito, client_id, second["RefreshToken"])
    assert cognito.get_user(AccessToken=third["AccessToken"])["Username"] == "alice"
    assert cognito.get_user(AccessToken=first["AccessToken"])["Username"] == "alice"  # still live until it expires

    assert refused(cognito, client_id, first["RefreshToken"]) == REVOKED  # no grace period: reuse
    assert refused(cognito, client_id, third["RefreshToken"]) == REVOKED  # the whole chain goes with it
    with pytest.raises(ClientError) as excinfo:
        cognito.get_user(AccessToken=third["AccessToken"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Access Token has been revoked")


def test_a_retry_within_the_grace_period(
    server: Server, cognito: Any, pool: str, move_clock: Callable[[float], None]
) -> None:
    client_id, first = signed_in(server, cognito, pool, grace=30)
    lost = refreshed(cognito, client_id, first["RefreshToken"])  # an answer the client never saw
    move_clock(10)
    retried = refreshed(cognito, client_id, first["RefreshToken"])
    assert retried["RefreshToken"] not in (lost["RefreshToken"], first["RefreshToken"])
    assert refused(cognito, client_id, lost["RefreshToken"]) == REVOKED  # replaced by the retry's
    kept = refreshed(cognito, client_id, retried["RefreshToken"])
    move_clock(25)  # 35 s after the first rotation: past the grace period
    assert refused(cognito, client_id, first["RefreshToken"]) == REVOKED
    assert refused(cognito, client_id, kept["RefreshToken"]) == REVOKED


def test_rotation_needs_get_tokens_from_refresh_token(server: Server, cognito: Any, pool: str) -> None:
    client_id, first = signed_in(server, cognito, pool, grace=0)
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(
            ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]}
        )
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "Refresh token rotation is enabled for this client: use GetTokensFromRefreshToken.",
    )
    assert "RefreshToken" in refreshed(cognito, client_id, first["RefreshToken"])  # the refused call spent nothing


def test_without_rotation_no_new_refresh_token(server: Server, cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool, RefreshTokenRotation={"Feature": "DISABLED"})["ClientId"]
    confirmed_user(server, cognito, pool)
    token = password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]["RefreshToken"]
    for _ in range(2):
        assert "RefreshToken" not in refreshed(cognito, client_id, token)
