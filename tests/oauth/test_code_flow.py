"""The authorization code flow with PKCE, refresh, userInfo and revoke, driven by authlib's OAuth2Session
configured from the discovery document; tokens verified by PyJWT against the JWKS."""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from tests.oauth.helpers import CALLBACK, code_client, confirmed_user, discovery, oauth_pool, sign_in
from tests.support import Server


def _verify(token: str, config: dict[str, Any], **expected: Any) -> dict[str, Any]:
    key = jwt.PyJWKClient(config["jwks_uri"]).get_signing_key_from_jwt(token)
    return jwt.decode(token, key.key, algorithms=["RS256"], issuer=config["issuer"], **expected)


def test_code_flow_with_pkce_refresh_userinfo_revoke(server: Server, cognito: Any, make_pool: Any) -> None:
    pool, prefix = oauth_pool(cognito, make_pool)
    app = code_client(cognito, pool)
    confirmed_user(cognito, pool)
    config = discovery(server, pool)
    assert config["authorization_endpoint"].endswith(f"/_domain/{prefix}/oauth2/authorize")
    verifier = generate_token(48)
    client = OAuth2Session(
        app["ClientId"], app["ClientSecret"], scope="openid email", redirect_uri=CALLBACK, code_challenge_method="S256"
    )
    uri, state = client.create_authorization_url(
        config["authorization_endpoint"], code_verifier=verifier, nonce="n-0S6"
    )
    with httpx.Client() as browser:
        callback = sign_in(browser, uri)
    assert callback.startswith(CALLBACK) and f"state={state}" in callback
    token = client.fetch_token(config["token_endpoint"], authorization_response=callback, code_verifier=verifier)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600 and token["refresh_token"]

    id_claims = _verify(token["id_token"], config, audience=app["ClientId"])
    access = _verify(token["access_token"], config)
    assert id_claims["nonce"] == "n-0S6" and id_claims["cognito:username"] == "alice"
    digest = hashlib.sha256(token["access_token"].encode()).digest()
    assert id_claims["at_hash"] == base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()
    assert (
        access["scope"] == "openid email" and access["client_id"] == app["ClientId"] and access["token_use"] == "access"
    )

    info = client.get(config["userinfo_endpoint"]).json()
    assert info["email"] == "alice@example.com" and info["username"] == "alice" and info["sub"] == id_claims["sub"]
    assert info["email_verified"] == "true"

    refreshed = client.refresh_token(config["token_endpoint"], refresh_token=token["refresh_token"])
    assert _verify(refreshed["access_token"], config)["scope"] == "openid email"
    assert "refresh_token" not in refreshed or refreshed["refresh_token"] == token["refresh_token"]

    revoked = client.revoke_token(
        config["revocation_endpoint"], token=token["refresh_token"], token_type_hint="refresh_token"
    )
    assert revoked.status_code == 200
    with pytest.raises(OAuthError) as excinfo:
        client.refresh_token(config["token_endpoint"], refresh_token=token["refresh_token"])
    assert excinfo.value.error == "invalid_grant"
    assert (
        httpx.get(
            config["userinfo_endpoint"], headers={"Authorization": f"Bearer {refreshed['access_token']}"}
        ).status_code
        == 401
    )


def test_public_client_and_the_session_cookie(server: Server, cognito: Any, make_pool: Any) -> None:
    """A client without a secret authenticates with its client_id alone; a second authorization while the
    domain's session is live answers with a code at once."""
    pool, _ = oauth_pool(cognito, make_pool)
    app = code_client(cognito, pool, secret=False)
    confirmed_user(cognito, pool)
    config = discovery(server, pool)
    client = OAuth2Session(
        app["ClientId"],
        scope="openid",
        redirect_uri=CALLBACK,
        code_challenge_method="S256",
        token_endpoint_auth_method="none",
    )
    with httpx.Client() as browser:
        verifier = generate_token(48)
        uri, _ = client.create_authorization_url(config["authorization_endpoint"], code_verifier=verifier)
        callback = sign_in(browser, uri)
        token = client.fetch_token(config["token_endpoint"], authorization_response=callback, code_verifier=verifier)
        assert "id_token" in token
        again, _ = client.create_authorization_url(config["authorization_endpoint"], code_verifier=verifier)
        direct = browser.get(again)
        assert direct.status_code == 302 and direct.headers["location"].startswith(f"{CALLBACK}?code=")
        forced = browser.get(again + "&prompt=login")
        assert "/login?" in forced.headers["location"]


def test_scope_without_openid_has_no_id_token(server: Server, cognito: Any, make_pool: Any) -> None:
    pool, _ = oauth_pool(cognito, make_pool)
    app = code_client(cognito, pool, scopes=["openid", "email", "aws.cognito.signin.user.admin"])
    confirmed_user(cognito, pool)
    config = discovery(server, pool)
    client = OAuth2Session(
        app["ClientId"], app["ClientSecret"], scope="aws.cognito.signin.user.admin", redirect_uri=CALLBACK
    )
    uri, _ = client.create_authorization_url(config["authorization_endpoint"])
    with httpx.Client() as browser:
        callback = sign_in(browser, uri)
    token = client.fetch_token(config["token_endpoint"], authorization_response=callback)
    assert "id_token" not in token
    # The admin scope lets the token call the user's own API operations.
    assert cognito.get_user(AccessToken=token["access_token"])["Username"] == "alice"


def test_initiate_auth_refresh_keeps_the_oauth_scopes(server: Server, cognito: Any, make_pool: Any) -> None:
    pool, _ = oauth_pool(cognito, make_pool)
    app = code_client(cognito, pool, secret=False)
    confirmed_user(cognito, pool)
    config = discovery(server, pool)
    client = OAuth2Session(
        app["ClientId"], scope="openid email", redirect_uri=CALLBACK, token_endpoint_auth_method="none"
    )
    uri, _ = client.create_authorization_url(config["authorization_endpoint"])
    with httpx.Client() as browser:
        token = client.fetch_token(config["token_endpoint"], authorization_response=sign_in(browser, uri))
    result = cognito.initiate_auth(
        ClientId=app["ClientId"],
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": token["refresh_token"]},
    )["AuthenticationResult"]
    assert _verify(result["AccessToken"], config)["scope"] == "openid email"
    assert _verify(result["IdToken"], config, audience=app["ClientId"])["at_hash"]


def test_implicit_flow_and_read_attributes(server: Server, cognito: Any, make_pool: Any) -> None:
    pool, _ = oauth_pool(cognito, make_pool)
    app = code_client(cognito, pool, secret=False, ReadAttributes=["email"])
    confirmed_user(cognito, pool)
    cognito.admin_update_user_attributes(
        UserPoolId=pool, Username="alice", UserAttributes=[{"Name": "name", "Value": "Al"}]
    )
    config = discovery(server, pool)
    client = OAuth2Session(app["ClientId"], scope="openid email", redirect_uri=CALLBACK)
    uri, state = client.create_authorization_url(config["authorization_endpoint"], response_type="token", nonce="n-1")
    with httpx.Client() as browser:
        callback = sign_in(browser, uri)
    fragment = parse_qs(urlsplit(callback).fragment)
    assert fragment["state"] == [state] and fragment["token_type"] == ["Bearer"] and "refresh_token" not in fragment
    id_claims = _verify(fragment["id_token"][0], config, audience=app["ClientId"])
    assert id_claims["nonce"] == "n-1" and "name" not in id_claims and id_claims["email"] == "alice@example.com"
    info = httpx.get(
        config["userinfo_endpoint"], headers={"Authorization": f"Bearer {fragment['access_token'][0]}"}
    ).json()
    assert "name" not in info and info["email"] == "alice@example.com"
