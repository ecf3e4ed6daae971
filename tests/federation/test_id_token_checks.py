"""/oauth2/idpresponse refuses ID tokens that fail verification: tampered, signed by another key, for another
audience or issuer, with another nonce, expired; and accepts the good one (SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.federation.fake_provider import Provider, provider
from tests.oauth.helpers import CALLBACK
from tests.support import Server


def _tamper(token: str) -> str:
    head, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["email"] = "mallory@example.com"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{head}.{forged}.{signature}"


OTHER = rsa.generate_private_key(public_exponent=65537, key_size=2048)
CASES: dict[str, Callable[[Provider, dict[str, Any]], str]] = {
    "good": lambda p, c: p.sign(c),
    "tampered": lambda p, c: _tamper(p.sign(c)),
    "foreign key": lambda p, c: p.sign(c, OTHER),
    "audience": lambda p, c: p.sign({**c, "aud": "someone-else"}),
    "issuer": lambda p, c: p.sign({**c, "iss": "http://127.0.0.1:1"}),
    "nonce": lambda p, c: p.sign({**c, "nonce": "another"}),
    "expired": lambda p, c: p.sign({**c, "exp": int(time.time()) - 600, "iat": int(time.time()) - 1200}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_id_token_checks(server: Server, cognito: Any, make_pool: Any, case: str) -> None:
    pool = make_pool()
    prefix = f"fk-{uuid.uuid4().hex[:10]}"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool)
    with provider() as upstream:
        cognito.create_identity_provider(
            UserPoolId=pool,
            ProviderName="Fake",
            ProviderType="OIDC",
            ProviderDetails={
                "client_id": "fake-client",
                "client_secret": "fake-secret",
                "attributes_request_method": "GET",
                "oidc_issuer": upstream.issuer,
                "authorize_scopes": "openid",
            },
            AttributeMapping={"email": "email", "name": "name"},
        )
        app = cognito.create_user_pool_client(
            UserPoolId=pool,
            ClientName="web",
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthFlows=["code"],
            AllowedOAuthScopes=["openid", "email"],
            CallbackURLs=[CALLBACK],
            SupportedIdentityProviders=["Fake"],
        )["UserPoolClient"]
        query = {"client_id": app["ClientId"], "response_type": "code", "redirect_uri": CALLBACK}
        query["identity_provider"] = "Fake"
        sent = httpx.get(f"{server.url}/_domain/{prefix}/oauth2/authorize?{urlencode(query)}")
        assert sent.status_code == 302 and sent.headers["location"].startswith(f"{upstream.issuer}/auth?")
        asked = {k: v[0] for k, v in parse_qs(urlsplit(sent.headers["location"]).query).items()}
        now = int(time.time())
        claims = {
            "iss": upstream.issuer,
            "aud": "fake-client",
            "sub": "fake-user-1",
            "email": "fake@example.com",
            "nonce": asked["nonce"],
            "iat": now,
            "exp": now + 300,
        }
        upstream.id_token = CASES[case](upstream, claims)
        answer = httpx.get(asked["redirect_uri"], params={"code": "c1", "state": asked["state"]})
    if case == "good":
        assert answer.status_code == 302 and answer.headers["location"].startswith(f"{CALLBACK}?code="), answer.text
        user = cognito.admin_get_user(UserPoolId=pool, Username="Fake_fake-user-1")
        assert {"Name": "email", "Value": "fake@example.com"} in user["UserAttributes"]
        assert {"Name": "name", "Value": "Fake From Userinfo"} in user["UserAttributes"]  # read from userinfo
    else:
        assert answer.status_code == 401, answer.text
        assert cognito.list_users(UserPoolId=pool)["Users"] == []
