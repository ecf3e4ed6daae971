"""Sign-in through an OIDC identity provider in headless Chromium: from the app's authorize URL through the
provider's login page (a second userpools pool, on loopback) back to the app, whose code buys tokens with the
mapped attributes and the federation group. Screenshots go to tests/output/."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt

from tests.federation.test_oidc_signin import authorize_url, setup
from tests.oauth.helpers import PASSWORD, discovery
from tests.support import Server


def test_oidc_sign_in_through_the_provider(
    server: Server, cognito: Any, make_pool: Any, browser: Any, screenshots: Path, app_origin: str
) -> None:
    callback = f"{app_origin}/callback"
    env = setup(server, cognito, make_pool, callback)
    page = browser.new_context().new_page()
    page.goto(authorize_url(server, env, callback))
    assert "/_domain/up-" in page.url and "/login?" in page.url  # the provider's own login page
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.screenshot(path=screenshots / "federation-provider-login.png")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{callback}?**")
    query = parse_qs(urlsplit(page.url).query)
    assert query["state"] == ["app-state"]
    app = env["app"]
    token = httpx.post(
        discovery(server, env["pool"])["token_endpoint"],
        data={"grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": callback},
        auth=(app["ClientId"], app["ClientSecret"]),
    )
    assert token.status_code == 200, token.text
    claims = jwt.decode(token.json()["id_token"], options={"verify_signature": False})
    assert claims["email"] == "alice@example.com" and f"{env['pool']}_Upstream" in claims["cognito:groups"]
    assert claims["cognito:username"].startswith("Upstream_")
