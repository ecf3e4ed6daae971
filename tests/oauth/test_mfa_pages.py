"""Managed login's MFA pages over plain HTTP (httpx), for a password client: an email code after the password,
a wrong code spending the challenge (sign in again, the error shown), and /mfa's CSRF check."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

import httpx
from authlib.integrations.requests_client import OAuth2Session

from tests.conftest import outbox
from tests.mfa import DEVELOPER_EMAIL
from tests.oauth.helpers import CALLBACK, code_client, csrf_of, discovery
from tests.passwordless import verified_user
from tests.signin import NEW_PASSWORD
from tests.support import Server

_FIELD = re.compile(r'name="(\w+)" value="([^"]*)"')


def test_an_email_code_after_the_password_and_a_wrong_one(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = make_pool(EmailConfiguration=DEVELOPER_EMAIL)
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool, MfaConfiguration="OPTIONAL", EmailMfaConfiguration={"Message": "Code {####}", "Subject": "Hi"}
    )
    prefix = f"em-{pool.split('_')[1].lower()[:12]}"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool, ManagedLoginVersion=2)
    app = code_client(cognito, pool)
    verified_user(cognito, pool)
    cognito.admin_set_user_mfa_preference(UserPoolId=pool, Username="alice", EmailMfaSettings={"Enabled": True})
    uri, _ = OAuth2Session(app["ClientId"], scope="openid", redirect_uri=CALLBACK).create_authorization_url(
        discovery(server, pool)["authorization_endpoint"]
    )
    with httpx.Client() as http:
        login = urljoin(str(uri), http.get(str(uri)).headers["location"])
        csrf = csrf_of(http.get(login).text)
        mfa = login.replace("/login?", "/mfa?")

        asked = http.post(login, data={"_csrf": csrf, "username": "alice", "password": NEW_PASSWORD})
        fields = dict(_FIELD.findall(asked.text))
        assert fields["challenge"] == "EMAIL_OTP" and "a***@e***" in asked.text
        assert http.post(mfa, data={k: v for k, v in fields.items() if k != "_csrf"}).status_code == 403
        code = outbox(server, pool=pool, username="alice")[-1]["code"]
        wrong = http.post(mfa, data={**fields, "code": "000000" if code != "000000" else "111111"})
        assert wrong.status_code == 400 and "Invalid code received for user. Sign in again." in wrong.text
        assert 'name="password"' in wrong.text  # the sign-in page again
        spent = http.post(mfa, data={**fields, "code": code})
        assert spent.status_code == 400 and "Invalid session for the user" in spent.text

        asked = http.post(login, data={"_csrf": csrf, "username": "alice", "password": NEW_PASSWORD})
        fields = dict(_FIELD.findall(asked.text))
        code = outbox(server, pool=pool, username="alice")[-1]["code"]
        done = http.post(mfa, data={**fields, "code": code})
        assert done.status_code == 302 and done.headers["location"].startswith(CALLBACK + "?code=")
