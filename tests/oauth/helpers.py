"""Helpers for the OAuth tests: a pool with a domain and app clients, and the managed login form driven over
plain HTTP (the browser tests drive the same pages in Chromium)."""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

from tests.support import Server

CALLBACK = "http://localhost:8765/callback"
PASSWORD = "Corr3ct-Horse!"
_CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


def oauth_pool(cognito: Any, make_pool: Any, **pool_config: Any) -> tuple[str, str]:
    """A pool and its prefix domain."""
    pool = make_pool(**pool_config)
    prefix = f"app-{uuid.uuid4().hex[:10]}"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool)
    return pool, prefix


def code_client(
    cognito: Any,
    pool: str,
    *,
    secret: bool = True,
    scopes: list[str] | None = None,
    app: str = "http://localhost:8765",
    **extra: Any,
) -> dict[str, Any]:
    return dict(
        cognito.create_user_pool_client(
            UserPoolId=pool,
            ClientName="web",
            GenerateSecret=secret,
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthFlows=["code", "implicit"],
            AllowedOAuthScopes=scopes or ["openid", "email", "profile"],
            CallbackURLs=[f"{app}/callback"],
            LogoutURLs=[f"{app}/signed-out"],
            SupportedIdentityProviders=["COGNITO"],
            **extra,
        )["UserPoolClient"]
    )


def confirmed_user(cognito: Any, pool: str, username: str = "alice", email: str = "alice@example.com") -> None:
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
    )
    cognito.admin_set_user_password(UserPoolId=pool, Username=username, Password=PASSWORD, Permanent=True)


def discovery(server: Server, pool: str) -> dict[str, Any]:
    return httpx.get(f"{server.url}/{pool}/.well-known/openid-configuration").json()  # type: ignore[no-any-return]


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, html
    return match.group(1)


def sign_in(http: httpx.Client, authorize_url: str, username: str = "alice", password: str = PASSWORD) -> str:
    """Follow /oauth2/authorize to the login page, submit it; the callback URL the browser is sent to (at once
    while the domain's session is live)."""
    response = http.get(authorize_url)
    assert response.status_code == 302, response.text
    if response.headers["location"].startswith(CALLBACK):
        return response.headers["location"]
    login = urljoin(authorize_url, response.headers["location"])
    page = http.get(login)
    assert page.status_code == 200, page.text
    posted = http.post(login, data={"_csrf": csrf_of(page.text), "username": username, "password": password})
    assert posted.status_code == 302, posted.text
    return posted.headers["location"]


def code_of(callback: str) -> str:
    query = parse_qs(urlsplit(callback).query)
    assert "code" in query, callback
    return query["code"][0]
