"""Sign-in through the social provider types, end to end, against a provider on loopback: a server whose
USERPOOLS_SOCIAL_ENDPOINTS sends Google's, Facebook's, Login with Amazon's and Sign in with Apple's documented
endpoints there. Google and Apple answer with an ID token (verified against the JWKS at their documented path);
Facebook (token by GET) and Amazon answer with an access token whose profile names the user (``id``,
``user_id``). Apple's client secret is an ES256 JWT from the team ID, key ID and private key, and Apple posts its
answer (``response_mode=form_post``). Describe still shows the documented endpoints. (SQLite and PostgreSQL.)"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.conftest import BACKENDS, client_for
from tests.federation.fake_provider import Provider, provider
from tests.oauth.helpers import CALLBACK
from tests.support import Server, free_port

APPLE_KEY = ec.generate_private_key(ec.SECP256R1())
APPLE_PEM = APPLE_KEY.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
).decode()
DETAILS = {
    "Google": {"client_id": "g-client", "client_secret": "g-secret", "authorize_scopes": "openid email profile"},
    "Facebook": {"client_id": "fb-app", "client_secret": "fb-secret", "authorize_scopes": "public_profile,email"},
    "LoginWithAmazon": {"client_id": "amzn-client", "client_secret": "amzn-secret", "authorize_scopes": "profile"},
    "SignInWithApple": {
        "client_id": "com.example.app",
        "team_id": "TEAM123456",
        "key_id": "KEY1234567",
        "private_key": APPLE_PEM,
        "authorize_scopes": "email name",
    },
}
# The documented authorize endpoint, and where this server sends the browser instead (its path kept).
AUTHORIZE = {
    "Google": "https://accounts.google.com/o/oauth2/v2/auth",
    "Facebook": "https://www.facebook.com/v17.0/dialog/oauth",
    "LoginWithAmazon": "https://www.amazon.com/ap/oa",
    "SignInWithApple": "https://appleid.apple.com/auth/authorize",
}
SUBJECT = {"Google": "g-123", "Facebook": "fb-42", "LoginWithAmazon": "amzn1.account.AB", "SignInWithApple": "001.ab"}


@pytest.fixture(scope="module", params=BACKENDS)
def social(request: pytest.FixtureRequest, database_url_for: Any) -> Iterator[tuple[Server, Provider]]:
    port = free_port()
    endpoints = ",".join(f"{kind}=http://127.0.0.1:{port}" for kind in DETAILS)
    live = Server(database_url_for(request.param), env={"USERPOOLS_SOCIAL_ENDPOINTS": endpoints})
    try:
        with provider(port) as upstream:
            yield live, upstream
    finally:
        live.stop()


@pytest.mark.parametrize("kind", list(DETAILS))
def test_social_sign_in(social: tuple[Server, Provider], kind: str) -> None:
    server, upstream = social
    cognito = client_for(server.url)
    pool = cognito.create_user_pool(PoolName=f"social-{uuid.uuid4().hex[:8]}")["UserPool"]["Id"]
    prefix = f"so-{uuid.uuid4().hex[:10]}"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool)
    cognito.create_identity_provider(
        UserPoolId=pool,
        ProviderName=kind,
        ProviderType=kind,
        ProviderDetails=DETAILS[kind],
        AttributeMapping={"email": "email", "name": "name"},
    )
    described = cognito.describe_identity_provider(UserPoolId=pool, ProviderName=kind)["IdentityProvider"]
    assert described["ProviderDetails"]["authorize_url"] == AUTHORIZE[kind]  # the documented endpoint
    app = cognito.create_user_pool_client(
        UserPoolId=pool,
        ClientName="web",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=[CALLBACK],
        SupportedIdentityProviders=[kind],
    )["UserPoolClient"]
    query = {"client_id": app["ClientId"], "response_type": "code", "redirect_uri": CALLBACK, "identity_provider": kind}
    sent = httpx.get(f"{server.url}/_domain/{prefix}/oauth2/authorize?{urlencode(query)}")
    assert sent.status_code == 302, sent.text
    location = sent.headers["location"]
    assert location.startswith(f"{upstream.issuer}{urlsplit(AUTHORIZE[kind]).path}?"), location
    asked = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert asked["client_id"] == DETAILS[kind]["client_id"] and asked["scope"] == DETAILS[kind]["authorize_scopes"]
    email = f"{kind.lower()}@example.com"
    now = int(time.time())
    claims = {"iss": upstream.issuer, "aud": asked["client_id"], "sub": SUBJECT[kind], "nonce": asked["nonce"]}
    upstream.id_token = upstream.sign({**claims, "email": email, "name": kind, "iat": now, "exp": now + 300})
    subject_claim = {"Facebook": "id", "LoginWithAmazon": "user_id"}.get(kind, "sub")
    upstream.profile = {subject_claim: SUBJECT[kind], "email": email, "name": kind}
    upstream.requests.clear()
    answer_to = {"code": "c1", "state": asked["state"]}
    if kind == "SignInWithApple":
        assert asked["response_mode"] == "form_post"
        answer = httpx.post(asked["redirect_uri"], data=answer_to)
    else:
        answer = httpx.get(asked["redirect_uri"], params=answer_to)
    assert answer.status_code == 302 and answer.headers["location"].startswith(f"{CALLBACK}?code="), answer.text
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    token = httpx.post(
        f"{server.url}/_domain/{prefix}/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
        auth=(app["ClientId"], app["ClientSecret"]),
    )
    assert token.status_code == 200, token.text
    id_claims = jwt.decode(token.json()["id_token"], options={"verify_signature": False})
    assert id_claims["cognito:username"] == f"{kind}_{SUBJECT[kind]}"
    assert id_claims["email"] == email and f"{pool}_{kind}" in id_claims["cognito:groups"]
    user = cognito.admin_get_user(UserPoolId=pool, Username=f"{kind}_{SUBJECT[kind]}")
    assert user["UserStatus"] == "EXTERNAL_PROVIDER"
    assert f'"providerType": "{kind}"' in {a["Name"]: a["Value"] for a in user["UserAttributes"]}["identities"]
    _check_provider_calls(kind, upstream.requests)


def _check_provider_calls(kind: str, requests: list[tuple[str, str]]) -> None:
    """What the server sent the provider: the token request (its method and client authentication) and, for
    the types without an ID token, the profile request."""
    token = [(method, path) for method, path in requests if "token" in path.split("?", 1)[0]]
    assert len(token) == 1, requests
    method, sent = token[0]
    form = {k: v[0] for k, v in parse_qs(urlsplit(sent).query).items()}
    assert form["code"] == "c1"
    if kind == "Facebook":
        assert method == "GET" and form["client_secret"] == "fb-secret"
        assert ("GET", "/v17.0/me?fields=email,id,name") in requests
    elif kind == "LoginWithAmazon":
        assert method == "POST" and form["client_secret"] == "amzn-secret"
        assert ("GET", "/user/profile") in requests
    elif kind == "SignInWithApple":
        secret = jwt.decode(
            form["client_secret"], APPLE_KEY.public_key(), algorithms=["ES256"], audience="https://appleid.apple.com"
        )
        assert secret["iss"] == "TEAM123456" and secret["sub"] == "com.example.app"
        assert jwt.get_unverified_header(form["client_secret"])["kid"] == "KEY1234567"
    else:
        assert method == "POST" and "client_secret" not in form  # Google: HTTP Basic


@pytest.mark.parametrize(
    "value", ["Google", "Google=ftp://127.0.0.1", "Twitter=http://127.0.0.1:9001", "Google=http://a,Facebook"]
)
def test_a_wrong_social_endpoints_setting_is_one_line_at_start(value: str) -> None:
    from userpools.startup import ConfigError, load_settings

    with pytest.raises(ConfigError) as raised:
        load_settings({"USERPOOLS_SOCIAL_ENDPOINTS": value})
    assert str(raised.value).startswith(f"USERPOOLS_SOCIAL_ENDPOINTS={value!r} is not valid")


def test_social_endpoints_setting() -> None:
    from userpools.settings import Settings

    settings = Settings.from_env({"USERPOOLS_SOCIAL_ENDPOINTS": " Google=http://127.0.0.1:9001/ , Facebook=https://x "})
    assert settings.social_endpoints == {"Google": "http://127.0.0.1:9001", "Facebook": "https://x"}
