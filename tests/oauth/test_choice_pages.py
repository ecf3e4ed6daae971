"""Managed login's choice-based pages over plain HTTP (httpx): which clients and domains get them, a sign-in
by email code through to the callback, the CSRF token and session every new page needs, and what a spent or
forged challenge session gets."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from authlib.integrations.requests_client import OAuth2Session

from tests.conftest import outbox
from tests.oauth.helpers import CALLBACK, code_client, csrf_of, discovery
from tests.passwordless import passwordless_pool, verified_user
from tests.support import Server

_FIELD = re.compile(r'name="(\w+)" value="([^"]*)"')


def _fields(html: str) -> dict[str, str]:
    return dict(_FIELD.findall(html))


def _env(
    server: Server, cognito: Any, make_pool: Any, version: int = 2, schema: Any = None, **client: Any
) -> dict[str, Any]:
    pool = passwordless_pool(make_pool, cognito, **({"Schema": schema} if schema else {}))
    prefix = f"ch-{pool.split('_')[1].lower()[:12]}"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool, ManagedLoginVersion=version)
    client.setdefault("ExplicitAuthFlows", ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    app = code_client(cognito, pool, **client)
    verified_user(cognito, pool)
    session = OAuth2Session(app["ClientId"], scope="openid", redirect_uri=CALLBACK)
    uri, _ = session.create_authorization_url(discovery(server, pool)["authorization_endpoint"])
    return {"pool": pool, "prefix": prefix, "app": app, "authorize": str(uri)}


def _login(http: httpx.Client, env: dict[str, Any]) -> tuple[str, httpx.Response]:
    redirected = http.get(env["authorize"])
    assert redirected.status_code == 302
    login = urljoin(env["authorize"], redirected.headers["location"])
    return login, http.get(login)


def test_choice_based_pages_only_for_user_auth_clients_on_version_2_domains(
    server: Server, cognito: Any, make_pool: Any
) -> None:
    env = _env(server, cognito, make_pool, version=1)
    with httpx.Client() as http:
        assert 'name="password"' in _login(http, env)[1].text  # the classic hosted UI keeps its form
        cognito.update_user_pool_domain(Domain=env["prefix"], UserPoolId=env["pool"], ManagedLoginVersion=2)
        login, page_in_english = _login(http, env)
        assert 'name="password"' not in page_in_english.text and ">Next</button>" in page_in_english.text
        assert ">Suivant</button>" in http.get(login + "&lang=fr").text
    plain = _env(server, cognito, make_pool, ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"])
    with httpx.Client() as http:
        assert 'name="password"' in _login(http, plain)[1].text


def test_an_email_code_sign_in_over_http_and_what_spent_or_forged_sessions_get(
    server: Server, cognito: Any, make_pool: Any
) -> None:
    env = _env(server, cognito, make_pool)
    with httpx.Client() as http:
        login, page = _login(http, env)
        csrf = csrf_of(page.text)
        choose = http.post(login, data={"_csrf": csrf, "username": "alice"})
        assert (
            choose.status_code == 200 and 'value="EMAIL_OTP"' in choose.text and 'value="WEB_AUTHN"' not in choose.text
        )
        session = _fields(choose.text)["session"]
        forged = http.post(
            login,
            data={"_csrf": csrf, "step": "choose", "username": "alice", "session": "x" * 40, "factor": "EMAIL_OTP"},
        )
        assert forged.status_code == 400 and "Invalid session for the user" in forged.text  # back to a fresh choice
        sent = http.post(
            login,
            data={"_csrf": csrf, "step": "choose", "username": "alice", "session": session, "factor": "EMAIL_OTP"},
        )
        fields = _fields(sent.text)
        assert fields["challenge"] == "EMAIL_OTP" and "a***@e***" in sent.text
        mfa = login.replace("/login?", "/mfa?")
        unprotected = http.post(mfa, data={"challenge": "EMAIL_OTP", "session": fields["session"], "username": "alice"})
        assert unprotected.status_code == 403  # no CSRF token: refused before anything is answered
        code = outbox(server, pool=env["pool"], username="alice")[-1]["code"]
        offer = http.post(mfa, data={**fields, "code": code})
        assert offer.status_code == 200 and "Sign in faster with a passkey" in offer.text
        again = http.post(mfa, data={**fields, "code": code})  # the challenge's session is spent
        assert again.status_code == 400 and 'value="EMAIL_OTP"' in again.text
        add = login.replace("/login?", "/passkeys/add?")
        skipped = http.post(add, data={"_csrf": csrf, "skip": "1"})
        assert skipped.status_code == 302 and skipped.headers["location"].startswith(CALLBACK + "?code=")
        assert http.get(add).status_code == 200  # signed in: the page is there to add one later
    with httpx.Client() as stranger:  # no session: /passkeys/add and /mfa send the browser to sign in
        for path in ("/passkeys/add?", "/mfa?"):
            response = stranger.get(login.replace("/login?", path))
            assert response.status_code == 303 and urlsplit(response.headers["location"]).path.endswith("/login")


def test_a_passwordless_sign_up_is_signed_in_once_confirmed(server: Server, cognito: Any, make_pool: Any) -> None:
    """Choice-based sign-up in a pool allowing codes first: no password, then ConfirmSignUp's Session signs in."""
    email = [{"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}]
    env = _env(server, cognito, make_pool, schema=email)
    with httpx.Client() as http:
        login, _ = _login(http, env)
        signup = login.replace("/login?", "/signup?")
        form = http.get(signup).text
        assert "Password (optional" in form and 'name="password"' in form
        csrf = csrf_of(form)
        posted = http.post(
            signup, data={"_csrf": csrf, "username": "carol", "email": "carol@example.com", "password": ""}
        )
        assert posted.status_code == 303 and "/confirm?" in posted.headers["location"], posted.text
        user = cognito.admin_get_user(UserPoolId=env["pool"], Username="carol")
        assert user["UserStatus"] == "UNCONFIRMED"
        code = outbox(server, pool=env["pool"], username="carol")[-1]["code"]
        confirm = urljoin(login, posted.headers["location"])
        offer = http.post(confirm, data={"_csrf": csrf, "username": "carol", "code": code})
        assert offer.status_code == 200 and "Sign in faster with a passkey" in offer.text  # signed in already
        skipped = http.post(login.replace("/login?", "/passkeys/add?"), data={"_csrf": csrf, "skip": "1"})
        assert skipped.status_code == 302 and skipped.headers["location"].startswith(CALLBACK + "?code=")
    factors = cognito.admin_get_user_auth_factors(UserPoolId=env["pool"], Username="carol")
    assert "PASSWORD" not in factors["ConfiguredUserAuthFactors"]


def test_a_new_code_on_request_and_an_unconfirmed_user_sent_to_confirm(
    server: Server, cognito: Any, make_pool: Any
) -> None:
    env = _env(server, cognito, make_pool)
    with httpx.Client() as http:
        login, page = _login(http, env)
        csrf = csrf_of(page.text)
        choose = http.post(login, data={"_csrf": csrf, "username": "alice"})
        session = _fields(choose.text)["session"]
        choice = {"_csrf": csrf, "step": "choose", "username": "alice", "session": session, "factor": "SMS_OTP"}
        sent = http.post(login, data=choice)
        first = outbox(server, pool=env["pool"], username="alice")[-1]["code"]
        assert 'name="step" value="resend"' in sent.text
        resent = http.post(login, data={"_csrf": csrf, "step": "resend", "factor": "SMS_OTP", "username": "alice"})
        messages = outbox(server, pool=env["pool"], username="alice")
        assert len(messages) == 2 and messages[-1]["medium"] == "SMS"
        fields = _fields(resent.text)
        assert fields["challenge"] == "SMS_OTP" and fields["session"] != _fields(sent.text)["session"]
        mfa = login.replace("/login?", "/mfa?")
        if first != messages[-1]["code"]:  # the first code was replaced by the new one
            stale = http.post(mfa, data={**fields, "code": first})
            assert stale.status_code == 400 and "Invalid code received for user" in stale.text
            resent = http.post(login, data={"_csrf": csrf, "step": "resend", "factor": "SMS_OTP", "username": "alice"})
            fields = _fields(resent.text)
        code = outbox(server, pool=env["pool"], username="alice")[-1]["code"]
        assert "Sign in faster with a passkey" in http.post(mfa, data={**fields, "code": code}).text

    cognito.sign_up(
        ClientId=env["app"]["ClientId"],
        SecretHash=_secret_hash(env["app"], "dave"),
        Username="dave",
        Password="Dave-Passw0rd!",
    )
    with httpx.Client() as http:
        login, page = _login(http, env)
        csrf = csrf_of(page.text)
        password_page = http.post(login, data={"_csrf": csrf, "username": "dave"})
        assert 'name="step" value="password"' in password_page.text  # the password is all dave has
        fields = {**_fields(password_page.text), "password": "Dave-Passw0rd!"}
        sent_to_confirm = http.post(login, data=fields)
        assert sent_to_confirm.status_code == 303 and "/confirm?" in sent_to_confirm.headers["location"]
        assert "username=dave" in sent_to_confirm.headers["location"]


def _secret_hash(app: dict[str, Any], username: str) -> str:
    import base64
    import hashlib
    import hmac

    digest = hmac.new(app["ClientSecret"].encode(), (username + app["ClientId"]).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
