"""Sign-in through a SAML IdP (pysaml2's, on loopback), over plain HTTP: SP-initiated from the app's authorize URL
through the IdP's login to the app's callback, with the mapped attributes and the federation group; a replayed
response refused; responses that are unsigned, signed by another key, tampered, expired or for another audience
refused; IdP-initiated sign-in when IDPInit allows it; a linked native user; single logout through the IdP.
(SQLite and PostgreSQL.)"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.federation.saml_env import APP, CALLBACK, REDIRECT, hidden, request_id, setup, sign_in, to_idp
from tests.federation.saml_idp import EMAIL, Idp, saml_idp
from tests.oauth.helpers import confirmed_user
from tests.support import Server


@pytest.fixture
def idp() -> Iterator[Idp]:
    with saml_idp() as running:
        yield running


def test_sp_initiated_sign_in_creates_the_federated_user(
    server: Server, cognito: Any, make_pool: Any, idp: Idp
) -> None:
    env = setup(server, cognito, make_pool, idp)
    with httpx.Client() as http:
        answer, form = sign_in(http, env)
        assert answer.status_code == 302, answer.text
        callback = answer.headers["location"]
        assert callback.startswith(f"{CALLBACK}?") and parse_qs(urlsplit(callback).query)["state"] == ["app-state"]
        claims = env.tokens(callback)
        replayed = http.post(env.acs, data=form)  # the same response again: its RelayState is spent
        assert replayed.status_code == 400 and "already used" in replayed.text
        as_idp_initiated = http.post(env.acs, data={**form, "RelayState": env.idp_initiated_relay()})
        assert as_idp_initiated.status_code == 400  # IDPInit is off for this provider
    pool = env.pool
    assert claims["cognito:username"] == "Corp_alice"
    assert claims["email"] == "alice@example.com"
    assert f"{pool}_Corp" in claims["cognito:groups"]
    user = cognito.admin_get_user(UserPoolId=pool, Username="Corp_alice")
    assert user["UserStatus"] == "EXTERNAL_PROVIDER"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["custom:groups"] == "[staff, admins]"  # a multi-valued SAML attribute
    assert (
        '"providerType": "SAML"' in attributes["identities"]
        and f'"issuer": "{idp.url}/metadata"' in (attributes["identities"])
    )

    # A second sign-in maps the IdP's attributes again.
    idp.users["alice"][EMAIL] = ["alice@new.example.com"]
    with httpx.Client() as http:
        again, _ = sign_in(http, env)
    assert env.tokens(again.headers["location"])["email"] == "alice@new.example.com"


def _tamper(response: str) -> str:
    xml = base64.b64decode(response).decode()
    assert "alice@example.com" in xml
    return base64.b64encode(xml.replace("alice@example.com", "mallory@example.com").encode()).decode()


CASES: dict[str, dict[str, Any]] = {
    "good": {},
    "unsigned": {"sign": False},
    "foreign key": {"kind": "foreign"},
    "expired": {"kind": "expired"},
    "wrong audience": {"audience": "urn:amazon:cognito:sp:us-east-1_someoneelse"},
    "tampered": {"tamper": True},
    "another request": {"in_response_to": "id-not-ours"},
}


WHY = {
    "unsigned": "Neither the response nor the assertions are signed",
    "foreign key": "Failed to verify signature",
    "expired": "Condition not OK",
    "wrong audience": "AudienceRestrictions conditions not satisfied",
    "tampered": "Failed to verify signature",
    "another request": "Unsolicited response",
}


@pytest.mark.parametrize("case", list(CASES))
def test_response_checks(server: Server, cognito: Any, make_pool: Any, idp: Idp, case: str) -> None:
    env = setup(server, cognito, make_pool, idp)
    options = dict(CASES[case])
    tamper = options.pop("tamper", False)
    with httpx.Client() as http:
        sso = to_idp(http, env)
        sent = idp.servers["good"].parse_authn_request(sso["SAMLRequest"], REDIRECT).message
        assert sent.issuer.text == f"urn:amazon:cognito:sp:{env.pool}"
        assert sent.assertion_consumer_service_url == env.acs and sent.destination == f"{idp.url}/sso"
        answering = options.pop("in_response_to", request_id(env, sso))
        response = idp.respond(env.pool, env.acs, "alice", answering, **options)
        if tamper:
            response = _tamper(response)
        answer = http.post(env.acs, data={"SAMLResponse": response, "RelayState": sso["RelayState"]})
    if case == "good":
        assert answer.status_code == 302 and answer.headers["location"].startswith(f"{CALLBACK}?code="), answer.text
        assert cognito.admin_get_user(UserPoolId=env.pool, Username="Corp_alice")["UserStatus"] == "EXTERNAL_PROVIDER"
    else:
        assert answer.status_code == 401, answer.text
        assert f"Invalid SAML response received: {WHY[case]}" in answer.text
        assert cognito.list_users(UserPoolId=env.pool)["Users"] == []


def test_idp_initiated_sign_in(server: Server, cognito: Any, make_pool: Any, idp: Idp) -> None:
    env = setup(server, cognito, make_pool, idp, IDPInit="true")
    response = idp.respond(env.pool, env.acs, "alice", None)
    form = {"SAMLResponse": response, "RelayState": env.idp_initiated_relay()}
    answer = httpx.post(env.acs, data=form)
    assert answer.status_code == 302 and answer.headers["location"].startswith(f"{CALLBACK}?code="), answer.text
    assert env.tokens(answer.headers["location"])["cognito:username"] == "Corp_alice"
    replayed = httpx.post(env.acs, data=form)
    assert replayed.status_code == 401 and "already used" in replayed.text
    # An IdP-initiated response must not claim to answer a request.
    solicited = idp.respond(env.pool, env.acs, "alice", "id-made-up")
    refused = httpx.post(env.acs, data={"SAMLResponse": solicited, "RelayState": env.idp_initiated_relay()})
    assert refused.status_code == 401, refused.text
    # Turned off again: refused.
    cognito.update_identity_provider(
        UserPoolId=env.pool, ProviderName="Corp", ProviderDetails={"MetadataURL": f"{idp.url}/metadata"}
    )
    fresh = idp.respond(env.pool, env.acs, "alice", None)
    off = httpx.post(env.acs, data={"SAMLResponse": fresh, "RelayState": env.idp_initiated_relay()})
    assert off.status_code == 400 and "not enabled" in off.text


def test_a_linked_native_user_signs_in_through_the_idp(server: Server, cognito: Any, make_pool: Any, idp: Idp) -> None:
    env = setup(server, cognito, make_pool, idp)
    confirmed_user(cognito, env.pool, "native", "native@example.com")
    cognito.admin_link_provider_for_user(
        UserPoolId=env.pool,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "native"},
        SourceUser={
            "ProviderName": "Corp",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "alice",
        },
    )
    with httpx.Client() as http:
        answer, _ = sign_in(http, env)
    claims = env.tokens(answer.headers["location"])
    assert claims["cognito:username"] == "native"
    assert [u["Username"] for u in cognito.list_users(UserPoolId=env.pool)["Users"]] == ["native"]


def test_single_logout_through_the_idp(server: Server, cognito: Any, make_pool: Any, idp: Idp) -> None:
    env = setup(server, cognito, make_pool, idp, IDPSignout="true")
    signed_out = f"{APP}/signed-out"
    with httpx.Client() as http:
        answer, _ = sign_in(http, env)
        assert answer.status_code == 302
        query = urlencode({"client_id": env.app["ClientId"], "logout_uri": signed_out})
        leaving = http.get(f"{env.base}/logout?{query}")
        assert leaving.status_code == 302, leaving.text
        to_idp_slo = leaving.headers["location"]
        assert to_idp_slo.startswith(f"{idp.url}/slo?") and "Signature=" in to_idp_slo
        forged = to_idp_slo.replace("Signature=", "Signature=AAAA")
        assert http.get(forged).status_code == 400  # the IdP checks the request's signature
        page = http.get(to_idp_slo)
        assert page.status_code == 200, page.text  # the IdP checked the request's signature
        back = http.post(f"{env.base}/saml2/logout", data=hidden(page.text))
        assert back.status_code == 302 and back.headers["location"] == signed_out, back.text
        # The session is over: authorize goes to the login page again, not straight to the callback.
        again = http.get(env.authorize_url(identity_provider="COGNITO"))
        assert again.status_code == 302 and "/login?" in again.headers["location"]
    assert idp.logouts == ["alice"]


def test_signed_authn_requests(server: Server, cognito: Any, make_pool: Any, idp: Idp) -> None:
    """With RequestSigningAlgorithm rsa-sha256 the AuthnRequest is signed with the pool's signing certificate
    (redirect binding); the IdP checks the signature and refuses a forged one."""
    env = setup(server, cognito, make_pool, idp, RequestSigningAlgorithm="rsa-sha256")
    with httpx.Client() as http:
        sso = to_idp(http, env)
        assert sso["SigAlg"] == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        forged = http.get(f"{idp.url}/sso", params={**sso, "Signature": "AAAA" + sso["Signature"][4:]})
        assert forged.status_code == 400, forged.text
        assert idp.signed_requests == 0
        answer, _ = sign_in(http, env)
    assert answer.status_code == 302 and answer.headers["location"].startswith(f"{CALLBACK}?code=")
    assert idp.signed_requests == 1


def test_encrypted_assertions(server: Server, cognito: Any, make_pool: Any, idp: Idp) -> None:
    """With EncryptedResponses the provider shows ActiveEncryptionCertificate; an assertion encrypted for it is
    decrypted and accepted, an unencrypted one refused."""
    env = setup(server, cognito, make_pool, idp, EncryptedResponses="true")
    details = cognito.describe_identity_provider(UserPoolId=env.pool, ProviderName="Corp")["IdentityProvider"][
        "ProviderDetails"
    ]
    assert details["ActiveEncryptionCertificate"] == cognito.get_signing_certificate(UserPoolId=env.pool)["Certificate"]
    with httpx.Client() as http:
        sso = to_idp(http, env)
        plain = idp.respond(env.pool, env.acs, "alice", request_id(env, sso))
        refused = http.post(env.acs, data={"SAMLResponse": plain, "RelayState": sso["RelayState"]})
        assert refused.status_code == 401 and "must be encrypted" in refused.text
        sso = to_idp(http, env)
        sealed = idp.respond(env.pool, env.acs, "alice", request_id(env, sso), encrypt=True)
        assert "EncryptedAssertion" in base64.b64decode(sealed).decode()
        answer = http.post(env.acs, data={"SAMLResponse": sealed, "RelayState": sso["RelayState"]})
    assert answer.status_code == 302 and answer.headers["location"].startswith(f"{CALLBACK}?code="), answer.text
    assert env.tokens(answer.headers["location"])["email"] == "alice@example.com"
