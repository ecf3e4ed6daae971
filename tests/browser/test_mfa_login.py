"""MFA on managed login, in headless Chromium: a password sign-in followed by an SMS code from the outbox; a pool
that requires MFA setting up an authenticator app on the page (its key read from the page, a wrong first code
asked again), then its codes; the choice between SMS and the app (SELECT_MFA_TYPE); the code at /oauth2/token."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from tests.conftest import outbox
from tests.mfa import SMS_CONFIGURATION, code_at
from tests.oauth.helpers import code_client, discovery
from tests.passwordless import verified_user
from tests.signin import NEW_PASSWORD
from tests.support import Server


def _setup(server: Server, cognito: Any, make_pool: Any, app_origin: str, **mfa: Any) -> dict[str, Any]:
    pool = make_pool()
    cognito.set_user_pool_mfa_config(UserPoolId=pool, MfaConfiguration="ON", **mfa)
    prefix = f"mfa-{generate_token(8).lower()}"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool, ManagedLoginVersion=2)
    app = code_client(cognito, pool, app=app_origin)
    verified_user(cognito, pool)
    return {"pool": pool, "app": app, "origin": f"http://{prefix}.auth.us-east-1.localhost:{server.port}"}


def _sign_in(page: Any, env: dict[str, Any], verifier: str) -> None:
    app = env["app"]
    session = OAuth2Session(
        app["ClientId"], scope="openid", redirect_uri=app["CallbackURLs"][0], code_challenge_method="S256"
    )
    uri, _ = session.create_authorization_url(f"{env['origin']}/oauth2/authorize", code_verifier=verifier)
    page.goto(uri)
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _exchanged(server: Server, env: dict[str, Any], page: Any, verifier: str) -> None:
    app = env["app"]
    callback = app["CallbackURLs"][0]
    page.wait_for_url(f"{callback}?**")
    code = parse_qs(urlsplit(page.url).query)["code"][0]
    token = OAuth2Session(app["ClientId"], app["ClientSecret"], redirect_uri=callback).fetch_token(
        discovery(server, env["pool"])["token_endpoint"], code=code, code_verifier=verifier
    )
    assert token["id_token"]


def test_password_then_an_sms_code(
    server: Server, cognito: Any, make_pool: Any, browser: Any, screenshots: Path, app_origin: str
) -> None:
    env = _setup(server, cognito, make_pool, app_origin, SmsMfaConfiguration={"SmsConfiguration": SMS_CONFIGURATION})
    page = browser.new_context().new_page()
    try:
        verifier = generate_token(48)
        _sign_in(page, env, verifier)
        assert "+*******0123" in page.locator("#sent-to").inner_text()
        message = outbox(server, pool=env["pool"], username="alice")[-1]
        assert message["medium"] == "SMS"
        page.get_by_label("Code").fill(message["code"])
        page.screenshot(path=screenshots / "mfa-sms.png")
        page.get_by_role("button", name="Sign in").click()
        _exchanged(server, env, page, verifier)
    finally:
        page.context.close()


def test_set_up_an_authenticator_then_choose_between_it_and_sms(
    server: Server,
    cognito: Any,
    make_pool: Any,
    browser: Any,
    screenshots: Path,
    app_origin: str,
    move_clock: Any,
) -> None:
    env = _setup(server, cognito, make_pool, app_origin, SoftwareTokenMfaConfiguration={"Enabled": True})
    pool, app = env["pool"], env["app"]
    page = browser.new_context().new_page()
    try:
        verifier = generate_token(48)
        _sign_in(page, env, verifier)
        assert page.get_by_role("heading").inner_text() == "Set up an authenticator app"
        secret = page.locator("#secret").inner_text()
        uri = urlsplit(str(page.locator("#otpauth").get_attribute("href")))
        assert uri.scheme == "otpauth" and uri.netloc == "totp" and parse_qs(uri.query)["secret"] == [secret]
        wrong = "000000" if code_at(secret) != "000000" else "111111"
        page.get_by_label("Code").fill(wrong)
        page.get_by_role("button", name="Confirm").click()
        assert page.locator("#error").is_visible() and page.locator("#secret").inner_text() == secret
        page.get_by_label("Code").fill(code_at(secret))
        page.screenshot(path=screenshots / "mfa-totp-setup.png")
        page.get_by_role("button", name="Confirm").click()
        _exchanged(server, env, page, verifier)

        logout = {"client_id": app["ClientId"], "logout_uri": f"{app_origin}/signed-out"}
        page.goto(f"{env['origin']}/logout?" + urlencode(logout))
        move_clock(30)  # the code just used is spent: the next one is a time step later
        verifier = generate_token(48)
        _sign_in(page, env, verifier)
        assert page.get_by_role("heading").inner_text() == "Enter your code"
        page.get_by_label("Code").fill(code_at(secret, 30))
        page.get_by_role("button", name="Sign in").click()
        _exchanged(server, env, page, verifier)

        cognito.set_user_pool_mfa_config(
            UserPoolId=pool,
            SmsMfaConfiguration={"SmsConfiguration": SMS_CONFIGURATION},
            SoftwareTokenMfaConfiguration={"Enabled": True},
        )
        cognito.admin_set_user_mfa_preference(
            UserPoolId=pool,
            Username="alice",
            SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
            SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False},
        )
        page.goto(f"{env['origin']}/logout?" + urlencode(logout))
        verifier = generate_token(48)
        _sign_in(page, env, verifier)
        assert page.locator("button[name=answer]").all_inner_texts() == ["Text message", "Authenticator app"]
        page.screenshot(path=screenshots / "mfa-select.png")
        page.get_by_role("button", name="Text message").click()
        page.get_by_label("Code").fill(outbox(server, pool=pool, username="alice")[-1]["code"])
        page.get_by_role("button", name="Sign in").click()
        _exchanged(server, env, page, verifier)
    finally:
        page.context.close()
