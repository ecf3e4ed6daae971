"""A passkey in a real browser: headless Chromium with the DevTools Protocol's virtual authenticator registers a
passkey and signs in with it, from a page the server serves (http://localhost:<port>, a secure context), calling
the Cognito API with fetch and the browser's own navigator.credentials."""

from __future__ import annotations

import json
from typing import Any

from tests.passwordless import answer, passwordless_pool, user_auth, user_auth_client, verified_user
from tests.signin import NEW_PASSWORD
from tests.support import Server

CALL = """async ([name, body]) => {
  const r = await fetch('/', {method: 'POST', headers: {'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'AWSCognitoIdentityProviderService.' + name}, body: JSON.stringify(body)});
  return {status: r.status, body: await r.json()};
}"""
CREATE = """async (options) => {
  const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options);
  const credential = await navigator.credentials.create({publicKey});
  return credential.toJSON();
}"""
GET = """async (options) => {
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(options));
  const credential = await navigator.credentials.get({publicKey});
  return credential.toJSON();
}"""


def test_a_virtual_authenticator_registers_a_passkey_and_signs_in(
    browser: Any, server: Server, cognito: Any, make_pool: Any
) -> None:
    pool = passwordless_pool(make_pool, cognito)
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool, WebAuthnConfiguration={"RelyingPartyId": "localhost", "UserVerification": "required"}
    )
    client_id = user_auth_client(cognito, pool)
    verified_user(cognito, pool)
    token = user_auth(cognito, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=NEW_PASSWORD)[
        "AuthenticationResult"
    ]["AccessToken"]
    page = browser.new_context().new_page()
    try:
        cdp = page.context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                }
            },
        )
        port = server.url.rsplit(":", 1)[1]
        page.goto(f"http://localhost:{port}/health")
        started = page.evaluate(CALL, ["StartWebAuthnRegistration", {"AccessToken": token}])
        assert started["status"] == 200, started
        credential = page.evaluate(CREATE, started["body"]["CredentialCreationOptions"])
        completed = page.evaluate(
            CALL, ["CompleteWebAuthnRegistration", {"AccessToken": token, "Credential": credential}]
        )
        assert completed["status"] == 200, completed
        listed = cognito.list_web_authn_credentials(AccessToken=token)["Credentials"]
        assert [c["CredentialId"] for c in listed] == [credential["id"]]

        first = user_auth(cognito, client_id, PREFERRED_CHALLENGE="WEB_AUTHN")
        assertion = page.evaluate(GET, first["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
        done = answer(cognito, client_id, first, CREDENTIAL=json.dumps(assertion))
        assert "AccessToken" in done["AuthenticationResult"]
    finally:
        page.context.close()
