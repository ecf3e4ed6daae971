"""Sign-in through a SAML IdP in headless Chromium: from the app's authorize URL to the managed login page, its
button for the SAML provider, the IdP's (pysaml2's, on loopback) login form, the auto-posted SAMLResponse to
/saml2/idpresponse and on to the app, whose code buys tokens with the mapped attributes and the federation group;
then a native user linked to the same IdP identity signs in through it. Screenshots go to tests/output/."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.federation.saml_env import Env, setup
from tests.federation.saml_idp import PASSWORD, saml_idp
from tests.oauth.helpers import confirmed_user
from tests.support import Server


def _through_idp(browser: Any, env: Env, callback: str, screenshots: Path | None = None) -> dict[str, Any]:
    page = browser.new_context().new_page()
    page.goto(env.authorize_url(callback, identity_provider="COGNITO"))
    assert "/login?" in page.url
    page.get_by_role("link", name="Corp").click()
    page.wait_for_url(f"{env.idp.url}/sso?**")
    page.get_by_label("IdP username").fill("alice")
    page.get_by_label("IdP password").fill(PASSWORD)
    if screenshots is not None:
        page.screenshot(path=screenshots / "saml-idp-login.png")
    page.get_by_role("button", name="Continue to the app").click()
    page.wait_for_url(f"{callback}?**")
    assert parse_qs(urlsplit(page.url).query)["state"] == ["app-state"]
    claims = env.tokens(page.url, callback)
    page.context.close()
    return claims


def test_saml_sign_in_through_the_managed_login_page(
    server: Server, cognito: Any, make_pool: Any, browser: Any, screenshots: Path, app_origin: str
) -> None:
    callback = f"{app_origin}/callback"
    with saml_idp() as idp:
        env = setup(server, cognito, make_pool, idp, callback)
        claims = _through_idp(browser, env, callback, screenshots)
        assert claims["cognito:username"] == "Corp_alice" and claims["email"] == "alice@example.com"
        assert f"{env.pool}_Corp" in claims["cognito:groups"]

        # A native user linked to the IdP identity signs in through the IdP as itself.
        confirmed_user(cognito, env.pool, "native", "native@example.com")
        cognito.admin_delete_user(UserPoolId=env.pool, Username="Corp_alice")  # Cognito merges no used identity
        cognito.admin_link_provider_for_user(
            UserPoolId=env.pool,
            DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "native"},
            SourceUser={
                "ProviderName": "Corp",
                "ProviderAttributeName": "Cognito_Subject",
                "ProviderAttributeValue": "alice",
            },
        )
        linked = _through_idp(browser, env, callback)
    assert linked["cognito:username"] == "native" and linked["email"] == "native@example.com"
