"""Authorization codes: single use, short-lived, bound to client, redirect URI and PKCE verifier; the code
and the login session survive a restart. Authorize errors as Cognito answers them; /logout."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from tests.conftest import BACKENDS, client_for
from tests.oauth.helpers import CALLBACK, code_client, code_of, confirmed_user, discovery, oauth_pool, sign_in
from tests.support import Server


def _session(app: dict[str, Any]) -> OAuth2Session:
    return OAuth2Session(
        app["ClientId"], app["ClientSecret"], scope="openid", redirect_uri=CALLBACK, code_challenge_method="S256"
    )


def _exchange(config: dict[str, Any], app: dict[str, Any], code: str, verifier: str) -> dict[str, Any]:
    return dict(_session(app).fetch_token(config["token_endpoint"], code=code, code_verifier=verifier))


def _refused(config: dict[str, Any], app: dict[str, Any], code: str, verifier: str) -> str:
    with pytest.raises(OAuthError) as excinfo:
        _exchange(config, app, code, verifier)
    return str(excinfo.value.error)


def _code(config: dict[str, Any], app: dict[str, Any], http: httpx.Client) -> tuple[str, str]:
    verifier = generate_token(48)
    uri, _ = _session(app).create_authorization_url(config["authorization_endpoint"], code_verifier=verifier)
    return code_of(sign_in(http, uri)), verifier


def test_codes_are_refused_when_reused_expired_mismatched(
    server: Server, cognito: Any, make_pool: Any, move_clock: Callable[[float], None]
) -> None:
    pool, _ = oauth_pool(cognito, make_pool)
    app, other = code_client(cognito, pool), code_client(cognito, pool)
    confirmed_user(cognito, pool)
    config = discovery(server, pool)
    with httpx.Client() as http:
        code, verifier = _code(config, app, http)
        assert _exchange(config, app, code, verifier)["access_token"]
        assert _refused(config, app, code, verifier) == "invalid_grant"  # second use

        code, verifier = _code(config, app, http)
        assert _refused(config, app, code, generate_token(48)) == "invalid_grant"  # wrong verifier
        assert _refused(config, app, code, verifier) == "invalid_grant"  # and spent by that attempt

        code, verifier = _code(config, app, http)
        assert _refused(config, other, code, verifier) == "invalid_grant"  # another client

        code, verifier = _code(config, app, http)
        move_clock(301)
        assert _refused(config, app, code, verifier) == "invalid_grant"  # expired after 5 minutes

    bad_secret = {**app, "ClientSecret": "wrong"}
    assert _refused(config, bad_secret, "x", "y") == "invalid_client"
    response = httpx.post(config["token_endpoint"], data={"grant_type": "password", "client_id": app["ClientId"]})
    assert response.status_code == 400 and response.json() == {"error": "unsupported_grant_type"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_restart_between_authorize_and_token(backend: str, database_url_for: Callable[[str], str]) -> None:
    url = database_url_for(backend)
    first = Server(url)
    try:
        cognito = client_for(first.url)
        pool = cognito.create_user_pool(PoolName="restart")["UserPool"]["Id"]
        cognito.create_user_pool_domain(Domain="restart-app", UserPoolId=pool)
        app = code_client(cognito, pool)
        confirmed_user(cognito, pool)
        http = httpx.Client()
        code, verifier = _code(discovery(first, pool), app, http)
    finally:
        first.stop()
    second = Server(url)
    try:
        config = discovery(second, pool)
        assert _exchange(config, app, code, verifier)["id_token"]
        # The session cookie set before the restart still signs the browser in: a code at once.
        uri, _ = _session(app).create_authorization_url(config["authorization_endpoint"], code_verifier=verifier)
        direct = http.get(uri)
        assert direct.status_code == 302 and direct.headers["location"].startswith(f"{CALLBACK}?code=")
        http.close()
    finally:
        second.stop()


def test_authorize_errors(server: Server, cognito: Any, make_pool: Any) -> None:
    pool, prefix = oauth_pool(cognito, make_pool)
    app = code_client(cognito, pool)
    authorize = discovery(server, pool)["authorization_endpoint"]

    def get(**params: str) -> httpx.Response:
        return httpx.get(authorize, params=params)

    unknown = get(client_id="nope", redirect_uri=CALLBACK, response_type="code")
    assert unknown.status_code == 400 and "client_id" in unknown.text
    mismatch = get(client_id=app["ClientId"], redirect_uri="https://evil.example.com/cb", response_type="code")
    assert mismatch.status_code == 400 and "redirect_mismatch" in mismatch.text

    def error_of(response: httpx.Response) -> dict[str, list[str]]:
        assert response.status_code == 302 and response.headers["location"].startswith(CALLBACK)
        return parse_qs(urlsplit(response.headers["location"]).query)

    base = {"client_id": app["ClientId"], "redirect_uri": CALLBACK, "state": "s1"}
    assert error_of(get(**base, response_type="id_token"))["error"] == ["unsupported_response_type"]
    assert error_of(get(**base, response_type="code", scope="openid phone"))["error"] == ["invalid_scope"]
    plain = error_of(get(**base, response_type="code", code_challenge="abc", code_challenge_method="plain"))
    assert plain["error"] == ["invalid_request"] and plain["state"] == ["s1"]
    assert error_of(get(**base, response_type="code", prompt="none"))["error"] == ["login_required"]
    implicit = get(**base, response_type="token", prompt="none")
    assert "#error=login_required" in implicit.headers["location"]
    # The same domain at its own origin: the Host header names it.
    host = f"{prefix}.auth.us-east-1.localhost:{server.port}"
    by_host = httpx.get(
        f"{server.url}/oauth2/authorize", params={**base, "response_type": "code"}, headers={"Host": host}
    )
    assert by_host.status_code == 302 and by_host.headers["location"].startswith("/login?")
    unknown_domain = httpx.get(
        f"{server.url}/login", headers={"Host": f"nope-x.auth.us-east-1.localhost:{server.port}"}
    )
    assert unknown_domain.status_code == 404


def test_logout(server: Server, cognito: Any, make_pool: Any) -> None:
    pool, prefix = oauth_pool(cognito, make_pool)
    app = code_client(cognito, pool)
    confirmed_user(cognito, pool)
    config = discovery(server, pool)
    logout = f"{server.url}/_domain/{prefix}/logout"
    with httpx.Client() as http:
        _code(config, app, http)
        out = http.get(logout, params={"client_id": app["ClientId"], "logout_uri": "http://localhost:8765/signed-out"})
        assert out.status_code == 302 and out.headers["location"] == "http://localhost:8765/signed-out"
        uri, _ = _session(app).create_authorization_url(config["authorization_endpoint"])
        assert "/login?" in http.get(uri).headers["location"]  # signed out: the login page again
        _code(config, app, http)
        again = http.get(
            logout, params={"client_id": app["ClientId"], "redirect_uri": CALLBACK, "response_type": "code"}
        )
        assert again.status_code == 302 and "/login?" in again.headers["location"]
        assert "/login?" in http.get(uri).headers["location"]
        bad = http.get(logout, params={"client_id": app["ClientId"], "logout_uri": "https://evil.example.com/"})
        assert bad.status_code == 400


def test_login_page_applies_branding_customization_and_lang(server: Server, cognito: Any, make_pool: Any) -> None:
    pool, _ = oauth_pool(cognito, make_pool)
    app = code_client(cognito, pool)
    settings = {"components": {"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "ff9900ff"}}}}}
    cognito.create_managed_login_branding(UserPoolId=pool, ClientId=app["ClientId"], Settings=settings)
    cognito.set_ui_customization(UserPoolId=pool, CSS=".label-customizable { color: #333333; } </style>")
    uri, _ = _session(app).create_authorization_url(discovery(server, pool)["authorization_endpoint"])
    login = httpx.get(uri).headers["location"]
    page = httpx.get(f"{server.url}{login}&lang=de")
    assert page.status_code == 200 and '<html lang="de">' in page.text and "Anmelden" in page.text
    assert ".submitButton-customizable { background-color: #ff9900ff; }" in page.text
    assert ".label-customizable { color: #333333; } <\\/style>" in page.text  # cannot close the element
    assert page.headers["x-frame-options"] == "DENY" and 'name="_csrf"' in page.text
    posted = httpx.post(f"{server.url}{login}", data={"username": "a", "password": "b"})
    assert posted.status_code == 403  # no CSRF token
