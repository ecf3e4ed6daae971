"""An OIDC provider served over HTTPS by a private CA: the server trusts it through USERPOOLS_CA_BUNDLE for every
call it makes to the provider (discovery at CreateIdentityProvider, then the token endpoint, the JWKS and the
userinfo endpoint at sign-in), and refuses it without the bundle. (SQLite and PostgreSQL.)"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.conftest import BACKENDS, client_for, error_of
from tests.federation.fake_provider import Provider, provider
from tests.oauth.helpers import CALLBACK
from tests.support import Server
from userpools import tls
from userpools.settings import Settings


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Provider, Path]]:
    folder = tmp_path_factory.mktemp("provider-tls")
    files = tls.ensure(Settings.from_env({"USERPOOLS_TLS": "true", "USERPOOLS_TLS_DIR": str(folder)}))
    with provider(tls=(files.cert, files.key)) as found:
        yield found, files.ca


@pytest.fixture(scope="module", params=BACKENDS)
def trusting(
    request: pytest.FixtureRequest, database_url_for: Callable[[str], str], upstream: tuple[Provider, Path]
) -> Iterator[Server]:
    live = Server(database_url_for(request.param), env={"USERPOOLS_CA_BUNDLE": str(upstream[1])})
    yield live
    live.stop()


def _oidc(cognito: Any, pool: str, issuer: str) -> None:
    cognito.create_identity_provider(
        UserPoolId=pool,
        ProviderName="Corp",
        ProviderType="OIDC",
        ProviderDetails={
            "client_id": "corp-app",
            "client_secret": "corp-secret",
            "attributes_request_method": "GET",
            "oidc_issuer": issuer,
            "authorize_scopes": "openid email",
        },
        AttributeMapping={"email": "email"},
    )


def test_sign_in_through_a_provider_trusted_by_the_bundle(trusting: Server, upstream: tuple[Provider, Path]) -> None:
    found, _ = upstream
    cognito = client_for(trusting.url)
    pool = cognito.create_user_pool(PoolName=f"tls-{uuid.uuid4().hex[:8]}")["UserPool"]["Id"]
    prefix = f"tls-{uuid.uuid4().hex[:10]}"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool)
    found.requests.clear()
    _oidc(cognito, pool, found.issuer)
    assert ("GET", "/.well-known/openid-configuration") in found.requests  # discovery, over HTTPS
    app = cognito.create_user_pool_client(
        UserPoolId=pool,
        ClientName="web",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=[CALLBACK],
        SupportedIdentityProviders=["Corp"],
    )["UserPoolClient"]
    query = {
        "client_id": app["ClientId"],
        "response_type": "code",
        "redirect_uri": CALLBACK,
        "identity_provider": "Corp",
    }
    sent = httpx.get(f"{trusting.url}/_domain/{prefix}/oauth2/authorize?{urlencode(query)}")
    assert sent.status_code == 302 and sent.headers["location"].startswith(f"{found.issuer}/auth?"), sent.text
    asked = {k: v[0] for k, v in parse_qs(urlsplit(sent.headers["location"]).query).items()}
    now = int(time.time())
    claims = {"iss": found.issuer, "aud": "corp-app", "sub": "e-7", "nonce": asked["nonce"], "iat": now}
    found.id_token = found.sign({**claims, "email": "eve@example.com", "exp": now + 300})
    found.profile = {"sub": "e-7", "email": "eve@example.com"}
    found.requests.clear()
    answer = httpx.get(asked["redirect_uri"], params={"code": "c1", "state": asked["state"]})
    assert answer.status_code == 302 and answer.headers["location"].startswith(f"{CALLBACK}?code="), answer.text
    paths = [path.split("?", 1)[0] for _, path in found.requests]
    assert "/token" in paths and "/jwks" in paths and "/me" in paths  # each over HTTPS, trusted by the bundle
    user = cognito.admin_get_user(UserPoolId=pool, Username="Corp_e-7")
    assert user["UserStatus"] == "EXTERNAL_PROVIDER"


def test_without_the_bundle_the_provider_is_not_trusted(
    database_url_for: Callable[[str], str], upstream: tuple[Provider, Path]
) -> None:
    found, _ = upstream
    live = Server(database_url_for("sqlite"))
    try:
        cognito = client_for(live.url)
        pool = cognito.create_user_pool(PoolName="untrusted")["UserPool"]["Id"]
        with pytest.raises(ClientError) as refused:
            _oidc(cognito, pool, found.issuer)
        assert error_of(refused) == (
            "InvalidParameterException",
            f"Unable to contact well-known endpoint {found.issuer}/.well-known/openid-configuration "
            "to discover the provider's endpoints.",
        )
    finally:
        live.stop()
