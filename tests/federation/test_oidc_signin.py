"""Sign-in through an OIDC identity provider, over plain HTTP (redirects followed by hand): a second userpools
pool is the upstream provider. The app's authorize URL goes to the provider's managed login, back to
/oauth2/idpresponse and on to the app's callback; the tokens carry the mapped attributes and the federation
group; a second sign-in maps again; a linked native user signs in; a replayed provider answer is refused.
(SQLite and PostgreSQL.)"""

from __future__ import annotations

import html
import re
import uuid
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx
import jwt

from tests.oauth.helpers import CALLBACK, code_of, confirmed_user, csrf_of, discovery
from tests.support import Server


def _client(cognito: Any, pool: str, callbacks: list[str], providers: list[str]) -> dict[str, Any]:
    return dict(
        cognito.create_user_pool_client(
            UserPoolId=pool,
            ClientName="web",
            GenerateSecret=True,
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthFlows=["code"],
            AllowedOAuthScopes=["openid", "email", "profile"],
            CallbackURLs=callbacks,
            SupportedIdentityProviders=providers,
        )["UserPoolClient"]
    )


def setup(server: Server, cognito: Any, make_pool: Any, callback: str = CALLBACK) -> dict[str, Any]:
    upstream = make_pool()
    up_prefix = f"up-{uuid.uuid4().hex[:10]}"
    cognito.create_user_pool_domain(Domain=up_prefix, UserPoolId=upstream)
    pool = make_pool()
    prefix = f"down-{uuid.uuid4().hex[:10]}"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool)
    idpresponse = f"{server.url}/_domain/{prefix}/oauth2/idpresponse"
    up_client = _client(cognito, upstream, [idpresponse], ["COGNITO"])
    confirmed_user(cognito, upstream, "alice", "alice@example.com")
    cognito.create_identity_provider(
        UserPoolId=pool,
        ProviderName="Upstream",
        ProviderType="OIDC",
        ProviderDetails={
            "client_id": up_client["ClientId"],
            "client_secret": up_client["ClientSecret"],
            "attributes_request_method": "GET",
            "oidc_issuer": discovery(server, upstream)["issuer"],
            "authorize_scopes": "openid email",
        },
        AttributeMapping={"email": "email"},
    )
    app = _client(cognito, pool, [callback], ["COGNITO", "Upstream"])
    return {"upstream": upstream, "pool": pool, "prefix": prefix, "app": app}


def authorize_url(server: Server, env: dict[str, Any], callback: str = CALLBACK) -> str:
    query = {
        "client_id": env["app"]["ClientId"],
        "response_type": "code",
        "redirect_uri": callback,
        "scope": "openid email",
        "state": "app-state",
        "identity_provider": "Upstream",
    }
    return f"{server.url}/_domain/{env['prefix']}/oauth2/authorize?{urlencode(query)}"


def _through_provider(http: httpx.Client, start: str) -> tuple[str, str]:
    """(the app's callback URL, the provider's answer to /oauth2/idpresponse)."""
    to_provider = http.get(start)
    assert to_provider.status_code == 302, to_provider.text
    provider_authorize = to_provider.headers["location"]
    assert parse_qs(urlsplit(provider_authorize).query)["nonce"]
    to_login = http.get(provider_authorize)
    assert to_login.status_code == 302, to_login.text
    login = urljoin(provider_authorize, to_login.headers["location"])
    page = http.get(login)
    posted = http.post(login, data={"_csrf": csrf_of(page.text), "username": "alice", "password": "Corr3ct-Horse!"})
    assert posted.status_code == 302, posted.text
    answer = posted.headers["location"]
    assert "/oauth2/idpresponse?" in answer
    back = http.get(answer)
    assert back.status_code == 302, back.text
    return back.headers["location"], answer


def _tokens(server: Server, env: dict[str, Any], callback: str) -> dict[str, Any]:
    assert parse_qs(urlsplit(callback).query)["state"] == ["app-state"]
    app = env["app"]
    token = httpx.post(
        discovery(server, env["pool"])["token_endpoint"],
        data={"grant_type": "authorization_code", "code": code_of(callback), "redirect_uri": CALLBACK},
        auth=(app["ClientId"], app["ClientSecret"]),
    )
    assert token.status_code == 200, token.text
    return jwt.decode(token.json()["id_token"], options={"verify_signature": False})


def test_oidc_sign_in_creates_the_federated_user(server: Server, cognito: Any, make_pool: Any) -> None:
    env = setup(server, cognito, make_pool)
    with httpx.Client() as http:
        callback, answer = _through_provider(http, authorize_url(server, env))
        claims = _tokens(server, env, callback)
        replayed = http.get(answer)
    assert replayed.status_code == 400 and "already used" in replayed.text  # a provider answer is single use
    upstream_sub = cognito.admin_get_user(UserPoolId=env["upstream"], Username="alice")["Username"]
    assert upstream_sub == "alice"
    pool = env["pool"]
    assert claims["email"] == "alice@example.com"
    assert claims["cognito:username"].startswith("Upstream_")
    assert f"{pool}_Upstream" in claims["cognito:groups"]
    user = cognito.admin_get_user(UserPoolId=pool, Username=claims["cognito:username"])
    assert user["UserStatus"] == "EXTERNAL_PROVIDER"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert '"providerName": "Upstream"' in attributes["identities"]

    # A second sign-in maps the provider's attributes again.
    cognito.admin_update_user_attributes(
        UserPoolId=env["upstream"], Username="alice", UserAttributes=[{"Name": "email", "Value": "new@example.com"}]
    )
    with httpx.Client() as http:
        callback, _ = _through_provider(http, authorize_url(server, env))
    again = _tokens(server, env, callback)
    assert again["cognito:username"] == claims["cognito:username"] and again["email"] == "new@example.com"


def test_a_linked_native_user_signs_in_through_the_provider(server: Server, cognito: Any, make_pool: Any) -> None:
    env = setup(server, cognito, make_pool)
    pool = env["pool"]
    confirmed_user(cognito, pool, "native", "native@example.com")
    upstream_sub = {
        a["Name"]: a["Value"]
        for a in cognito.admin_get_user(UserPoolId=env["upstream"], Username="alice")["UserAttributes"]
    }["sub"]
    cognito.admin_link_provider_for_user(
        UserPoolId=pool,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "native"},
        SourceUser={
            "ProviderName": "Upstream",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": upstream_sub,
        },
    )
    with httpx.Client() as http:
        callback, _ = _through_provider(http, authorize_url(server, env))
    claims = _tokens(server, env, callback)
    assert claims["cognito:username"] == "native"
    assert [u["Username"] for u in cognito.list_users(UserPoolId=pool)["Users"]] == ["native"]


def test_unknown_or_unsupported_provider_is_refused(server: Server, cognito: Any, make_pool: Any) -> None:
    env = setup(server, cognito, make_pool)
    start = authorize_url(server, env).replace("identity_provider=Upstream", "identity_provider=Nope")
    refused = httpx.get(start)
    assert refused.status_code == 302 and "error=invalid_request" in refused.headers["location"]


def test_the_login_page_offers_the_provider(server: Server, cognito: Any, make_pool: Any) -> None:
    env = setup(server, cognito, make_pool)
    start = authorize_url(server, env).replace("&identity_provider=Upstream", "")
    with httpx.Client() as http:
        to_login = http.get(start)
        login = urljoin(start, to_login.headers["location"])
        page = http.get(login)
        match = re.search(r'class="idpButton-customizable" href="([^"]+)">Upstream<', page.text)
        assert match, page.text
        chosen = http.get(urljoin(login, html.unescape(match.group(1))))
    assert chosen.status_code == 302 and "/_domain/up-" in chosen.headers["location"]
