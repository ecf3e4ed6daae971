"""Passkeys through boto3 and a software authenticator (soft-webauthn): registration, listing, deletion, the
WEB_AUTHN challenge, and what is refused (a forged or replayed assertion, a cloned authenticator, another
origin, a registration never started, passkeys a pool does not allow)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.mfa import database_text
from tests.passwordless import (
    RP_ID,
    Passkey,
    answer,
    b64url,
    passwordless_pool,
    unb64url,
    user_auth,
    user_auth_client,
    verified_user,
)
from tests.signin import NEW_PASSWORD
from tests.support import Server


def _signed_in(cognito: Any, make_pool: Any, **config: Any) -> tuple[str, str, str]:
    pool = passwordless_pool(make_pool, cognito, **config)
    client_id = user_auth_client(cognito, pool)
    verified_user(cognito, pool)
    done = user_auth(cognito, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=NEW_PASSWORD)
    return pool, client_id, str(done["AuthenticationResult"]["AccessToken"])


def _register(cognito: Any, token: str, key: Passkey) -> dict[str, Any]:
    options = cognito.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    credential = key.create(options)
    cognito.complete_web_authn_registration(AccessToken=token, Credential=credential)
    return credential


def test_a_passkey_registers_lists_and_signs_in(cognito: Any, make_pool: Any) -> None:
    _pool, client_id, token = _signed_in(cognito, make_pool)
    options = cognito.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    assert options["rp"]["id"] == RP_ID
    assert options["user"]["name"] == "alice"
    key = Passkey()
    credential = key.create(options)
    cognito.complete_web_authn_registration(AccessToken=token, Credential=credential)
    listed = cognito.list_web_authn_credentials(AccessToken=token)["Credentials"]
    assert [c["CredentialId"] for c in listed] == [credential["id"]]
    assert listed[0]["RelyingPartyId"] == RP_ID
    assert listed[0]["AuthenticatorAttachment"] == "platform"
    assert cognito.get_user_auth_factors(AccessToken=token)["ConfiguredUserAuthFactors"][-1] == "WEB_AUTHN"

    first = user_auth(cognito, client_id, PREFERRED_CHALLENGE="WEB_AUTHN")
    assert first["ChallengeName"] == "WEB_AUTHN"
    request = json.loads(first["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    assert request["rpId"] == RP_ID
    assert [c["id"] for c in request["allowCredentials"]] == [credential["id"]]
    assertion = key.get(first["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    done = answer(cognito, client_id, first, CREDENTIAL=json.dumps(assertion))
    assert "AccessToken" in done["AuthenticationResult"]

    chosen = user_auth(cognito, client_id)
    assert chosen["AvailableChallenges"][0] == "WEB_AUTHN"
    asked = answer(cognito, client_id, chosen, ANSWER="WEB_AUTHN")
    assert asked["ChallengeName"] == "WEB_AUTHN"
    done = answer(
        cognito,
        client_id,
        asked,
        CREDENTIAL=json.dumps(key.get(asked["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])),
    )
    assert "IdToken" in done["AuthenticationResult"]


def test_replayed_forged_and_cloned_assertions_are_refused(cognito: Any, make_pool: Any) -> None:
    _pool, client_id, token = _signed_in(cognito, make_pool)
    key = Passkey()
    _register(cognito, token, key)
    first = user_auth(cognito, client_id, PREFERRED_CHALLENGE="WEB_AUTHN")
    assertion = key.get(first["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    answer(cognito, client_id, first, CREDENTIAL=json.dumps(assertion))
    # replayed, with the spent session and with a fresh one (its challenge is another)
    with pytest.raises(ClientError) as excinfo:
        answer(cognito, client_id, first, CREDENTIAL=json.dumps(assertion))
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    again = user_auth(cognito, client_id, PREFERRED_CHALLENGE="WEB_AUTHN")
    with pytest.raises(ClientError) as excinfo:
        answer(cognito, client_id, again, CREDENTIAL=json.dumps(assertion))
    assert error_of(excinfo)[0] == "WebAuthnChallengeNotFoundException"
    # forged: a signature that is not the key's
    forged = key.get(again["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    signature = bytearray(unb64url(forged["response"]["signature"]))
    signature[-1] ^= 1
    forged["response"]["signature"] = b64url(bytes(signature))
    with pytest.raises(ClientError) as excinfo:
        answer(cognito, client_id, again, CREDENTIAL=json.dumps(forged))
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    # cloned: its sign count goes back
    key.device.sign_count = 0
    third = user_auth(cognito, client_id, PREFERRED_CHALLENGE="WEB_AUTHN")
    with pytest.raises(ClientError) as excinfo:
        answer(
            cognito,
            client_id,
            third,
            CREDENTIAL=json.dumps(key.get(third["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])),
        )
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    assert "sign count" in error_of(excinfo)[1]
    # a passkey of nobody's
    stranger = user_auth(cognito, client_id, PREFERRED_CHALLENGE="WEB_AUTHN")
    other = Passkey()
    other.device.cred_init(RP_ID, b"someone")
    with pytest.raises(ClientError) as excinfo:
        answer(
            cognito,
            client_id,
            stranger,
            CREDENTIAL=json.dumps(other.get(stranger["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])),
        )
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_registration_refusals(cognito: Any, make_pool: Any) -> None:
    _pool, _client_id, token = _signed_in(cognito, make_pool)
    key = Passkey()
    with pytest.raises(ClientError) as excinfo:  # never started
        options = {
            "challenge": b64url(b"x" * 32),
            "rp": {"id": RP_ID},
            "user": {"id": b64url(b"u"), "name": "a"},
            "pubKeyCredParams": [{"alg": -7, "type": "public-key"}],
        }
        cognito.complete_web_authn_registration(AccessToken=token, Credential=key.create(options))
    assert error_of(excinfo)[0] == "WebAuthnChallengeNotFoundException"
    options = cognito.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    with pytest.raises(ClientError) as excinfo:
        cognito.complete_web_authn_registration(
            AccessToken=token, Credential=key.create(options, origin="https://evil.example.net")
        )
    assert error_of(excinfo)[0] == "WebAuthnOriginNotAllowedException"
    with pytest.raises(ClientError) as excinfo:  # the challenge was spent by the refused attempt
        cognito.complete_web_authn_registration(AccessToken=token, Credential=key.create(options))
    assert error_of(excinfo)[0] == "WebAuthnChallengeNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        cognito.delete_web_authn_credential(AccessToken=token, CredentialId="nope")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_passkeys_need_the_pool_to_allow_them_and_a_relying_party(cognito: Any, make_pool: Any) -> None:
    _, _, token = _signed_in(cognito, make_pool, factors=["PASSWORD", "EMAIL_OTP"])
    with pytest.raises(ClientError) as excinfo:
        cognito.start_web_authn_registration(AccessToken=token)
    assert error_of(excinfo)[0] == "WebAuthnNotEnabledException"
    pool = make_pool(Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}})
    client_id = user_auth_client(cognito, pool)
    verified_user(cognito, pool)
    done = user_auth(cognito, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=NEW_PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        cognito.start_web_authn_registration(AccessToken=done["AuthenticationResult"]["AccessToken"])
    assert error_of(excinfo)[0] == "WebAuthnConfigurationMissingException"


def test_required_user_verification_refuses_an_authenticator_without_it(cognito: Any, make_pool: Any) -> None:
    pool, _client_id, token = _signed_in(cognito, make_pool)
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool, WebAuthnConfiguration={"RelyingPartyId": RP_ID, "UserVerification": "required"}
    )
    options = cognito.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    assert options["authenticatorSelection"]["userVerification"] == "required"
    with pytest.raises(ClientError) as excinfo:  # soft-webauthn's key only tests presence
        cognito.complete_web_authn_registration(AccessToken=token, Credential=Passkey().create(options))
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_passkeys_are_deleted_alone_and_with_their_user(server: Server, cognito: Any, make_pool: Any) -> None:
    pool, _client_id, token = _signed_in(cognito, make_pool)
    first, second = _register(cognito, token, Passkey()), _register(cognito, token, Passkey())
    page = cognito.list_web_authn_credentials(AccessToken=token, MaxResults=1)
    assert [c["CredentialId"] for c in page["Credentials"]] == [first["id"]]
    rest = cognito.list_web_authn_credentials(AccessToken=token, NextToken=page["NextToken"])
    assert [c["CredentialId"] for c in rest["Credentials"]] == [second["id"]]
    cognito.delete_web_authn_credential(AccessToken=token, CredentialId=first["id"])
    assert len(cognito.list_web_authn_credentials(AccessToken=token)["Credentials"]) == 1
    assert second["id"] in database_text(server)
    cognito.admin_delete_user(UserPoolId=pool, Username="alice")
    assert second["id"] not in database_text(server)
