"""Session tracking through boto3: token sessions (one per refresh-token family), MaxPerUser evicting the
least recently used, revocation ending refresh and access tokens, SSO sessions of managed login."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.oauth import helpers as oauth
from tests.signin import NEW_PASSWORD, confirmed_user, make_client, password_auth
from tests.support import Server

NOT_ENABLED = ("OperationNotEnabledException", "Session tracking is not enabled for this user pool.")
REVOKED_ACCESS = ("NotAuthorizedException", "Access Token has been revoked")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def code(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


def tracked(cognito: Any, pool: str, max_per_user: int = 20) -> None:
    answer = cognito.set_user_pool_session_configuration(
        UserPoolId=pool, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": max_per_user}
    )
    assert answer["UserSessionTracking"] == "ENABLED" and answer["TokenSession"] == {"MaxPerUser": max_per_user}


def sign_in(cognito: Any, client_id: str, ip: str = "198.51.100.7") -> dict[str, Any]:
    answer = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": NEW_PASSWORD},
        UserContextData={"IpAddress": ip},
    )
    return dict(answer["AuthenticationResult"])


def sessions(cognito: Any, pool: str) -> list[dict[str, Any]]:
    return list(cognito.admin_list_user_sessions(UserPoolId=pool, Username="alice")["Sessions"])


def test_defaults_and_tracking_off(server: Server, cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    assert cognito.get_user_pool_session_configuration(UserPoolId=pool) | {"ResponseMetadata": None} == {
        "UserPoolId": pool,
        "UserSessionTracking": "DISABLED",
        "TokenSession": {"MaxPerUser": 20},
        "ResponseMetadata": None,
    }
    got = cognito.get_user_pool_client_session_configuration(UserPoolId=pool, ClientId=client_id)
    assert got["SSOSession"] == {"MaxValidityMinutes": 60} and got["ClientId"] == client_id
    confirmed_user(server, cognito, pool)
    tokens = password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]
    assert code(cognito.admin_list_user_sessions, UserPoolId=pool, Username="alice") == NOT_ENABLED
    assert code(cognito.list_user_sessions, AccessToken=tokens["AccessToken"]) == NOT_ENABLED
    assert (
        code(
            cognito.admin_revoke_user_session,
            UserPoolId=pool,
            Username="alice",
            SessionId="tkn" + "a" * 25,
        )
        == NOT_ENABLED
    )
    assert (
        code(
            cognito.set_user_pool_client_session_configuration,
            UserPoolId=pool,
            ClientId=client_id,
            SSOSession={"MaxValidityMinutes": 5},
        )
        == NOT_ENABLED
    )


def test_unknown_pool_client_and_lite_tier(cognito: Any, make_pool: Any, pool: str) -> None:
    missing = "us-east-1_NoSuchPool"
    assert code(cognito.get_user_pool_session_configuration, UserPoolId=missing) == (
        "ResourceNotFoundException",
        f"User pool {missing} does not exist.",
    )
    assert code(cognito.get_user_pool_client_session_configuration, UserPoolId=pool, ClientId="nosuchclient") == (
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
    )
    lite = make_pool(UserPoolTier="LITE")
    assert code(
        cognito.set_user_pool_session_configuration,
        UserPoolId=lite,
        UserSessionTracking="ENABLED",
        TokenSession={"MaxPerUser": 3},
    ) == ("FeatureUnavailableInTierException", "Session management is not available in the LITE tier.")
    tracked(cognito, pool)
    assert code(cognito.admin_list_user_sessions, UserPoolId=pool, Username="nobody") == (
        "UserNotFoundException",
        "User does not exist.",
    )


def test_token_sessions_evicted_over_the_maximum(server: Server, cognito: Any, pool: str) -> None:
    tracked(cognito, pool, max_per_user=2)
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    first = sign_in(cognito, client_id, "198.51.100.1")
    second = sign_in(cognito, client_id, "198.51.100.2")
    listed = sessions(cognito, pool)
    assert [s["LastIPAddress"] for s in listed] == ["198.51.100.1", "198.51.100.2"]
    for session in listed:
        assert session["SessionId"].startswith("tkn") and len(session["SessionId"]) == 28
        assert session["SessionType"] == "TOKEN" and session["ClientId"] == client_id
        assert session["IsCurrentSession"] is False  # always, for the admin listing
        assert session["DeviceType"]  # botocore's user agent: its product
    third = sign_in(cognito, client_id, "198.51.100.3")
    assert [s["LastIPAddress"] for s in sessions(cognito, pool)] == ["198.51.100.2", "198.51.100.3"]
    assert code(cognito.get_user, AccessToken=first["AccessToken"]) == REVOKED_ACCESS
    assert code(
        cognito.initiate_auth,
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
    ) == ("NotAuthorizedException", "Refresh Token has been revoked")
    assert cognito.get_user(AccessToken=second["AccessToken"])["Username"] == "alice"
    mine = cognito.list_user_sessions(AccessToken=third["AccessToken"])["Sessions"]
    assert [(s["LastIPAddress"], s["IsCurrentSession"]) for s in mine] == [
        ("198.51.100.2", False),
        ("198.51.100.3", True),
    ]


def test_revocation_ends_refresh_and_access_tokens(server: Server, cognito: Any, pool: str) -> None:
    tracked(cognito, pool)
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    kept, doomed = sign_in(cognito, client_id), sign_in(cognito, client_id)
    by_token = cognito.list_user_sessions(AccessToken=doomed["AccessToken"])["Sessions"]
    target = next(s["SessionId"] for s in by_token if s["IsCurrentSession"])
    cognito.revoke_user_session(AccessToken=kept["AccessToken"], SessionId=target)
    assert code(cognito.get_user, AccessToken=doomed["AccessToken"]) == REVOKED_ACCESS
    assert len(sessions(cognito, pool)) == 1
    assert code(cognito.revoke_user_session, AccessToken=kept["AccessToken"], SessionId=target) == (
        "ResourceNotFoundException",
        "Session not found.",
    )
    other = sessions(cognito, pool)[0]["SessionId"]
    cognito.admin_revoke_user_session(
        UserPoolId=pool, Username="alice", SessionId=other, RevokeAssociatedSessions="LINKED"
    )
    assert code(cognito.get_user, AccessToken=kept["AccessToken"]) == REVOKED_ACCESS
    assert sessions(cognito, pool) == []
    # GlobalSignOut ends every session too (their refresh tokens are revoked).
    again = sign_in(cognito, client_id)
    assert len(sessions(cognito, pool)) == 1
    cognito.global_sign_out(AccessToken=again["AccessToken"])
    assert sessions(cognito, pool) == []


def test_a_refresh_keeps_the_session_and_rotation_joins_it(server: Server, cognito: Any, pool: str) -> None:
    tracked(cognito, pool)
    client_id = make_client(cognito, pool, RefreshTokenRotation={"Feature": "ENABLED"})["ClientId"]
    confirmed_user(server, cognito, pool)
    first = sign_in(cognito, client_id)
    [before] = sessions(cognito, pool)
    rotated = cognito.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=first["RefreshToken"])
    [after] = sessions(cognito, pool)
    assert after["SessionId"] == before["SessionId"]
    assert after["LastActiveDate"] >= before["LastActiveDate"]
    new = rotated["AuthenticationResult"]
    mine = cognito.list_user_sessions(AccessToken=new["AccessToken"])["Sessions"]
    assert [s["IsCurrentSession"] for s in mine] == [True]
    cognito.admin_revoke_user_session(UserPoolId=pool, Username="alice", SessionId=after["SessionId"])
    assert code(cognito.get_user, AccessToken=new["AccessToken"]) == REVOKED_ACCESS
    assert code(cognito.get_tokens_from_refresh_token, ClientId=client_id, RefreshToken=new["RefreshToken"]) == (
        "NotAuthorizedException",
        "Refresh Token has been revoked",
    )


def test_sso_session_of_managed_login(server: Server, cognito: Any, make_pool: Any) -> None:
    pool, _ = oauth.oauth_pool(cognito, make_pool)
    tracked(cognito, pool)
    app = oauth.code_client(cognito, pool, secret=False)
    oauth.confirmed_user(cognito, pool)
    config = oauth.discovery(server, pool)
    client = OAuth2Session(
        app["ClientId"],
        scope="openid",
        redirect_uri=oauth.CALLBACK,
        code_challenge_method="S256",
        token_endpoint_auth_method="none",
    )
    with httpx.Client(headers={"user-agent": FIREFOX}) as browser:
        verifier = generate_token(48)
        uri, _ = client.create_authorization_url(config["authorization_endpoint"], code_verifier=verifier)
        oauth.sign_in(browser, uri)
        [sso] = [s for s in sessions(cognito, pool) if s["SessionType"] == "SSO"]
        assert sso["SessionId"].startswith("sso") and sso["DeviceType"] == "Firefox on Linux"
        assert sso["ClientId"] == app["ClientId"]
        again, _ = client.create_authorization_url(config["authorization_endpoint"], code_verifier=verifier)
        assert browser.get(again).headers["location"].startswith(f"{oauth.CALLBACK}?code=")  # the cookie is reused
        cognito.set_user_pool_client_session_configuration(
            UserPoolId=pool, ClientId=app["ClientId"], SSOSession={"MaxValidityMinutes": 0}
        )
        assert "/login?" in browser.get(again).headers["location"]  # 0: never reused silently
        cognito.set_user_pool_client_session_configuration(
            UserPoolId=pool, ClientId=app["ClientId"], SSOSession={"MaxValidityMinutes": 60}
        )
        assert browser.get(again).headers["location"].startswith(f"{oauth.CALLBACK}?code=")
        cognito.admin_revoke_user_session(UserPoolId=pool, Username="alice", SessionId=sso["SessionId"])
        assert "/login?" in browser.get(again).headers["location"]  # the cookie's session has ended
    assert [s for s in sessions(cognito, pool) if s["SessionType"] == "SSO"] == []
