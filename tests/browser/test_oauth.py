"""Managed login in a real headless Chromium, at the domain's own origin (``<prefix>.auth.<region>.localhost``,
which the browser resolves to loopback): sign up, confirm with the emailed code, sign in, land on the
callback with a code, sign out; reset a forgotten password; an invited user sets a new password.
Screenshots of every page go to tests/output/."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from tests.conftest import outbox
from tests.oauth.helpers import code_client, discovery
from tests.support import Server


def _page(browser: Any) -> Any:
    return browser.new_context().new_page()


def _setup(server: Server, cognito: Any, make_pool: Any, app_origin: str) -> tuple[str, str, dict[str, Any], str]:
    pool = make_pool(
        Schema=[{"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}],
        AutoVerifiedAttributes=["email"],
    )
    prefix = f"web-{generate_token(8).lower()}"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool, ManagedLoginVersion=2)
    app = code_client(cognito, pool, app=app_origin)
    cognito.set_ui_customization(UserPoolId=pool, CSS=".submitButton-customizable { background-color: #037f0c; }")
    origin = f"http://{prefix}.auth.us-east-1.localhost:{server.port}"
    return pool, prefix, app, origin


def _authorize_url(origin: str, app: dict[str, Any], verifier: str) -> str:
    session = OAuth2Session(
        app["ClientId"], scope="openid email", redirect_uri=app["CallbackURLs"][0], code_challenge_method="S256"
    )
    uri, _ = session.create_authorization_url(f"{origin}/oauth2/authorize", code_verifier=verifier, state="st-1")
    return str(uri)


def test_sign_up_confirm_sign_in_sign_out(
    server: Server, cognito: Any, make_pool: Any, browser: Any, screenshots: Path, app_origin: str
) -> None:
    pool, _, app, origin = _setup(server, cognito, make_pool, app_origin)
    callback = app["CallbackURLs"][0]
    verifier = generate_token(48)
    page = _page(browser)
    page.goto(_authorize_url(origin, app, verifier))
    assert page.url.startswith(f"{origin}/login?")
    assert page.locator("button[type=submit]").evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(3, 127, 12)"
    page.screenshot(path=screenshots / "login.png")

    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("bob")
    page.get_by_label("email").fill("bob@example.com")
    page.get_by_label("Password").fill("weak")
    page.get_by_role("button", name="Sign up").click()
    assert "Password did not conform with policy" in page.get_by_role("alert").inner_text()
    page.get_by_label("Password").fill("Str0ng-Passw0rd!")
    page.screenshot(path=screenshots / "signup.png")
    page.get_by_role("button", name="Sign up").click()

    assert "/confirm?" in page.url
    code = outbox(server, pool=pool, username="bob")[-1]["code"]
    page.get_by_label("Code").fill(code)
    page.screenshot(path=screenshots / "confirm.png")
    page.get_by_role("button", name="Confirm").click()

    assert "/login?" in page.url and page.get_by_label("Username").input_value() == "bob"
    page.get_by_label("Password").fill("Str0ng-Passw0rd!")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{callback}?**")
    query = parse_qs(urlsplit(page.url).query)
    assert query["state"] == ["st-1"]
    token = OAuth2Session(app["ClientId"], app["ClientSecret"], redirect_uri=callback).fetch_token(
        discovery(server, pool)["token_endpoint"], code=query["code"][0], code_verifier=verifier
    )
    assert token["id_token"] and cognito.admin_get_user(UserPoolId=pool, Username="bob")["UserStatus"] == "CONFIRMED"

    page.goto(f"{origin}/logout?" + urlencode({"client_id": app["ClientId"], "logout_uri": f"{app_origin}/signed-out"}))
    assert page.url == f"{app_origin}/signed-out"
    page.goto(_authorize_url(origin, app, verifier))
    assert page.url.startswith(f"{origin}/login?")  # the session ended

    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Username").fill("bob")
    page.screenshot(path=screenshots / "forgot.png")
    page.get_by_role("button", name="Send code").click()
    page.get_by_label("Code").fill(outbox(server, pool=pool, username="bob")[-1]["code"])
    page.get_by_label("New password").fill("An0ther-Passw0rd!")
    page.screenshot(path=screenshots / "reset.png")
    page.get_by_role("button", name="Reset password").click()
    page.get_by_label("Password").fill("An0ther-Passw0rd!")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{callback}?**")
    page.context.close()


def test_invited_user_sets_a_new_password(
    server: Server, cognito: Any, make_pool: Any, browser: Any, screenshots: Path, app_origin: str
) -> None:
    pool, _, app, origin = _setup(server, cognito, make_pool, app_origin)
    callback = app["CallbackURLs"][0]
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="carol",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "carol@example.com"}],
    )
    temporary = outbox(server, pool=pool, username="carol")[-1]["code"]
    page = _page(browser)
    page.goto(_authorize_url(origin, app, generate_token(48)) + "&lang=fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Nom d'utilisateur").fill("carol")
    page.get_by_label("Mot de passe").fill(temporary)
    page.get_by_role("button", name="Se connecter").click()
    assert "/newPassword?" in str(page.locator("form").get_attribute("action"))
    page.get_by_label("Nouveau mot de passe").fill("Fr3sh-Passw0rd!")
    page.screenshot(path=screenshots / "new-password.png")
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{callback}?**")
    assert cognito.admin_get_user(UserPoolId=pool, Username="carol")["UserStatus"] == "CONFIRMED"
    page.context.close()
