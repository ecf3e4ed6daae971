"""Tokens: verified by PyJWT against our JWKS, discovery document, revocation, access-token checks."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.signin import NEW_PASSWORD, confirmed_user, make_client, password_auth
from tests.support import Server


def signed_in(server: Server, cognito: Any, pool: str, **client: Any) -> tuple[str, dict[str, Any]]:
    client_id = make_client(cognito, pool, **client)["ClientId"]
    confirmed_user(server, cognito, pool)
    return client_id, password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]


def test_pyjwt_verifies_tokens(server: Server, cognito: Any, pool: str) -> None:
    cognito.create_group(UserPoolId=pool, GroupName="admins")
    client_id, tokens = signed_in(server, cognito, pool)
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="alice", GroupName="admins")
    tokens = password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]
    issuer = f"{server.url}/{pool}"
    jwks = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json")
    id_token = tokens["IdToken"]
    claims = jwt.decode(
        id_token, jwks.get_signing_key_from_jwt(id_token).key, algorithms=["RS256"], audience=client_id, issuer=issuer
    )
    assert claims["token_use"] == "id" and claims["cognito:username"] == "alice"
    assert claims["email_verified"] is True and claims["cognito:groups"] == ["admins"]
    access = jwt.decode(
        tokens["AccessToken"],
        jwks.get_signing_key_from_jwt(tokens["AccessToken"]).key,
        algorithms=["RS256"],
        issuer=issuer,
    )
    assert access["client_id"] == client_id and access["scope"] == "aws.cognito.signin.user.admin"
    assert access["origin_jti"] == claims["origin_jti"] and access["exp"] - access["iat"] == 3600
    with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration") as response:
        discovery = json.load(response)
    assert discovery["issuer"] == issuer and discovery["jwks_uri"] == f"{issuer}/.well-known/jwks.json"


def test_unknown_pool_has_no_jwks(server: Server) -> None:
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(f"{server.url}/us-east-1_missing00/.well-known/jwks.json")
    assert excinfo.value.code == 404


def test_global_sign_out_revokes_everything(server: Server, cognito: Any, pool: str) -> None:
    client_id, tokens = signed_in(server, cognito, pool)
    assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"] == "alice"
    cognito.global_sign_out(AccessToken=tokens["AccessToken"])
    with pytest.raises(ClientError) as excinfo:
        cognito.get_user(AccessToken=tokens["AccessToken"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Access Token has been revoked")
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(
            ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]}
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Refresh Token has been revoked")


def test_admin_global_sign_out(server: Server, cognito: Any, pool: str) -> None:
    _, tokens = signed_in(server, cognito, pool)
    cognito.admin_user_global_sign_out(UserPoolId=pool, Username="alice")
    with pytest.raises(ClientError) as excinfo:
        cognito.get_user(AccessToken=tokens["AccessToken"])
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_revoke_token(server: Server, cognito: Any, pool: str) -> None:
    client_id, tokens = signed_in(server, cognito, pool)
    cognito.revoke_token(ClientId=client_id, Token=tokens["RefreshToken"])
    with pytest.raises(ClientError) as excinfo:
        cognito.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=tokens["RefreshToken"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Refresh Token has been revoked")
    with pytest.raises(ClientError) as excinfo:
        cognito.get_user(AccessToken=tokens["AccessToken"])
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_revocation_disabled(server: Server, cognito: Any, pool: str) -> None:
    client_id, tokens = signed_in(server, cognito, pool, EnableTokenRevocation=False)
    with pytest.raises(ClientError) as excinfo:
        cognito.revoke_token(ClientId=client_id, Token=tokens["RefreshToken"])
    assert error_of(excinfo)[0] == "UnsupportedOperationException"


def test_access_token_checks(server: Server, cognito: Any, pool: str) -> None:
    _, tokens = signed_in(server, cognito, pool)
    for bad in ("garbage", tokens["IdToken"], tokens["AccessToken"][:-4] + "AAAA"):
        with pytest.raises(ClientError) as excinfo:
            cognito.get_user(AccessToken=bad)
        assert error_of(excinfo) == ("NotAuthorizedException", "Invalid Access Token")
