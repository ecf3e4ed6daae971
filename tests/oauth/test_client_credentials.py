"""client_credentials with a resource-server scope, through authlib and through GetClientToken."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.oauth.helpers import discovery, oauth_pool
from tests.support import Server


def _machine(cognito: Any, pool: str) -> dict[str, Any]:
    cognito.create_resource_server(
        UserPoolId=pool,
        Identifier="https://api.example.com",
        Name="api",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "r"}, {"ScopeName": "write", "ScopeDescription": "w"}],
    )
    return dict(
        cognito.create_user_pool_client(
            UserPoolId=pool,
            ClientName="m2m",
            GenerateSecret=True,
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthFlows=["client_credentials"],
            AllowedOAuthScopes=["https://api.example.com/read", "https://api.example.com/write"],
            AccessTokenValidity=10,
        )["UserPoolClient"]
    )


def test_client_credentials_with_a_custom_scope(server: Server, cognito: Any, make_pool: Any) -> None:
    pool, _ = oauth_pool(cognito, make_pool)
    machine = _machine(cognito, pool)
    config = discovery(server, pool)
    session = OAuth2Session(machine["ClientId"], machine["ClientSecret"], scope="https://api.example.com/read")
    token = session.fetch_token(config["token_endpoint"], grant_type="client_credentials")
    assert token["token_type"] == "Bearer" and token["expires_in"] == 600
    assert "refresh_token" not in token and "id_token" not in token
    key = jwt.PyJWKClient(config["jwks_uri"]).get_signing_key_from_jwt(token["access_token"])
    claims = jwt.decode(token["access_token"], key.key, algorithms=["RS256"], issuer=config["issuer"])
    assert claims["scope"] == "https://api.example.com/read" and claims["sub"] == machine["ClientId"]
    assert claims["token_use"] == "access" and "username" not in claims

    everything = OAuth2Session(
        machine["ClientId"], machine["ClientSecret"], token_endpoint_auth_method="client_secret_post"
    )
    all_scopes = everything.fetch_token(config["token_endpoint"], grant_type="client_credentials")
    assert set(jwt.decode(all_scopes["access_token"], options={"verify_signature": False})["scope"].split()) == {
        "https://api.example.com/read",
        "https://api.example.com/write",
    }
    with pytest.raises(OAuthError) as excinfo:
        OAuth2Session(machine["ClientId"], machine["ClientSecret"], scope="openid").fetch_token(
            config["token_endpoint"], grant_type="client_credentials"
        )
    assert excinfo.value.error == "invalid_scope"


def test_get_client_token(cognito: Any, make_pool: Any) -> None:
    pool, _ = oauth_pool(cognito, make_pool)
    machine = _machine(cognito, pool)
    result = cognito.get_client_token(
        ClientId=machine["ClientId"], Secret=machine["ClientSecret"], Scopes=["https://api.example.com/write"]
    )["ClientAuthenticationResult"]
    assert result["TokenType"] == "Bearer" and result["ExpiresIn"] == 600
    assert (
        jwt.decode(result["AccessToken"], options={"verify_signature": False})["scope"]
        == "https://api.example.com/write"
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.get_client_token(ClientId=machine["ClientId"], Secret="w" * 51)
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    with pytest.raises(ClientError) as excinfo:
        cognito.get_client_token(ClientId=machine["ClientId"], Secret=machine["ClientSecret"], Scopes=["nope/x"])
    assert error_of(excinfo)[0] == "ScopeDoesNotExistException"
