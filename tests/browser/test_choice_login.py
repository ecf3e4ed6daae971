"""Choice-based sign-in on managed login, in headless Chromium at the domain's own origin: the username first,
then the choice among the factors the pool allows and the user has (an email or SMS code read from the outbox,
the password), the offer to add a passkey (Chromium's virtual authenticator, through the DevTools Protocol),
then the passkey asked for straight away on the next sign-in; each time the app's code is exchanged at
/oauth2/token. Screenshots go to tests/output/."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from tests.conftest import outbox
from tests.oauth.helpers import code_client, discovery
from tests.passwordless import passwordless_pool, verified_user
from tests.signin import NEW_PASSWORD
from tests.support import Server

SCOPES = ["openid", "email", "aws.cognito.signin.user.admin"]


def _setup(server: Server, cognito: Any, make_pool: Any, app_origin: str, **client: Any) -> dict[str, Any]:
    """A pool allowing every first factor, a version 2 domain (whose name is the passkeys' relying party), an app
    client with a secret and ALLOW_USER_AUTH, and alice with a password, a verified email and phone."""
    pool = passwordless_pool(make_pool, cognito)
    cognito.set_user_pool_mfa_config(UserPoolId=pool, WebAuthnConfiguration={"UserVerification": "required"})
    prefix = f"pw-{generate_token(8).lower()}"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool, ManagedLoginVersion=2)
    client.setdefault("ExplicitAuthFlows", ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    app = code_client(cognito, pool, app=app_origin, scopes=SCOPES, **client)
    verified_user(cognito, pool)
    origin = f"http://{prefix}.auth.us-east-1.localhost:{server.port}"
    return {"pool": pool, "app": app, "origin": origin}


def _authorize(env: dict[str, Any], verifier: str) -> str:
    app = env["app"]
    session = OAuth2Session(
        app["ClientId"], scope=" ".join(SCOPES), redirect_uri=app["CallbackURLs"][0], code_challenge_method="S256"
    )
    uri, _ = session.create_authorization_url(f"{env['origin']}/oauth2/authorize", code_verifier=verifier, state="st-9")
    return str(uri)


def _tokens(server: Server, env: dict[str, Any], page: Any, verifier: str) -> dict[str, Any]:
    """The callback's code, exchanged at /oauth2/token with the PKCE verifier and the client's secret."""
    app = env["app"]
    callback = app["CallbackURLs"][0]
    page.wait_for_url(f"{callback}?**")
    query = parse_qs(urlsplit(page.url).query)
    assert query["state"] == ["st-9"]
    session = OAuth2Session(app["ClientId"], app["ClientSecret"], redirect_uri=callback)
    token = session.fetch_token(
        discovery(server, env["pool"])["token_endpoint"], code=query["code"][0], code_verifier=verifier
    )
    claims = jwt.decode(token["id_token"], options={"verify_signature": False})
    assert claims["cognito:username"] == "alice"
    return dict(token)


def _authenticator(page: Any) -> Any:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    return cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]


def _username_step(page: Any, screenshots: Path | None = None) -> None:
    assert "/login?" in page.url
    assert page.get_by_label("Password").count() == 0  # the username first
    page.get_by_label("Username").fill("alice")
    if screenshots is not None:
        page.screenshot(path=screenshots / "choice-username.png")
    page.get_by_role("button", name="Next").click()


def test_email_code_then_a_passkey_offered_added_and_signed_in_with(
    server: Server, cognito: Any, make_pool: Any, browser: Any, screenshots: Path, app_origin: str
) -> None:
    env = _setup(server, cognito, make_pool, app_origin)
    page = browser.new_context().new_page()
    try:
        _authenticator(page)
        verifier = generate_token(48)
        page.goto(_authorize(env, verifier))
        _username_step(page, screenshots)

        buttons = page.locator("button[name=factor]")
        assert buttons.all_inner_texts() == ["Email me a code", "Text me a code", "Use my password"]
        page.screenshot(path=screenshots / "choice-factors.png")
        page.get_by_role("button", name="Email me a code").click()
        assert "a***@e***" in page.locator("#sent-to").inner_text()
        message = outbox(server, pool=env["pool"], username="alice")[-1]
        assert message["medium"] == "EMAIL" and message["destination"] == "alice@example.com"
        page.get_by_label("Code").fill(message["code"])
        page.screenshot(path=screenshots / "choice-email-code.png")
        page.get_by_role("button", name="Sign in").click()

        assert page.get_by_role("heading").inner_text() == "Sign in faster with a passkey"
        page.screenshot(path=screenshots / "passkey-offer.png")
        page.get_by_role("button", name="Add a passkey").click()
        token = _tokens(server, env, page, verifier)
        listed = cognito.list_web_authn_credentials(AccessToken=token["access_token"])["Credentials"]
        assert len(listed) == 1 and listed[0]["RelyingPartyId"] == urlsplit(env["origin"]).hostname

        logout = {"client_id": env["app"]["ClientId"], "logout_uri": f"{app_origin}/signed-out"}
        page.goto(f"{env['origin']}/logout?" + urlencode(logout))
        verifier = generate_token(48)
        page.goto(_authorize(env, verifier))
        _username_step(page)
        assert page.get_by_role("heading").inner_text() == "Sign in with your passkey"  # the preferred factor
        assert page.get_by_role("button", name="Other sign-in options").is_visible()
        page.screenshot(path=screenshots / "passkey-sign-in.png")
        page.get_by_role("button", name="Sign in with passkey").click()
        token = _tokens(server, env, page, verifier)
        assert token["access_token"] and token["refresh_token"]
    finally:
        page.context.close()


def test_sms_code_refused_then_password_refused_then_right_and_no_passkey_for_now(
    server: Server, cognito: Any, make_pool: Any, browser: Any, screenshots: Path, app_origin: str
) -> None:
    env = _setup(server, cognito, make_pool, app_origin)
    page = browser.new_context().new_page()
    try:
        verifier = generate_token(48)
        page.goto(_authorize(env, verifier))
        _username_step(page)
        page.get_by_role("button", name="Text me a code").click()
        message = outbox(server, pool=env["pool"], username="alice")[-1]
        assert message["medium"] == "SMS"
        page.get_by_label("Code").fill("000000" if message["code"] != "000000" else "111111")
        page.get_by_role("button", name="Sign in").click()
        assert "Invalid code received for user" in page.locator("#error").inner_text()  # back to the choice

        page.get_by_role("button", name="Use my password").click()
        page.get_by_label("Password").fill("Wrong-Passw0rd!")
        page.get_by_role("button", name="Sign in").click()
        assert "Incorrect username or password." in page.locator("#error").inner_text()
        page.screenshot(path=screenshots / "choice-password-error.png")
        page.get_by_label("Password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        page.get_by_role("button", name="Not now").click()
        _tokens(server, env, page, verifier)
    finally:
        page.context.close()


def test_an_unknown_user_sees_a_choice_too(
    server: Server, cognito: Any, make_pool: Any, browser: Any, app_origin: str
) -> None:
    """PreventUserExistenceErrors ENABLED: a name no one has gets the pages anyone's gets, and its password fails."""
    env = _setup(server, cognito, make_pool, app_origin, PreventUserExistenceErrors="ENABLED")
    page = browser.new_context().new_page()
    try:
        page.goto(_authorize(env, generate_token(48)))
        page.get_by_label("Username").fill("nobody-at-all")
        page.get_by_role("button", name="Next").click()
        heading = page.get_by_role("heading").inner_text()  # the decoy's factors decide the page, as a user's do
        assert heading in ("Sign in with your passkey", "Choose how to sign in", "Enter your password")
        if heading == "Sign in with your passkey":
            page.get_by_role("button", name="Other sign-in options").click()
            heading = page.get_by_role("heading").inner_text()
        if heading == "Choose how to sign in":
            page.get_by_role("button", name="Use my password").click()
        page.get_by_label("Password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        assert "Incorrect username or password." in page.locator("#error").inner_text()
    finally:
        page.context.close()
