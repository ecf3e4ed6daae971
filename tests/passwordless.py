"""Helpers for the passwordless tests: pools allowing USER_AUTH's factors, users with verified addresses, and a
software passkey (soft-webauthn's authenticator) speaking the WebAuthn JSON that browsers and Amplify send."""

from __future__ import annotations

import base64
import json
from typing import Any

from soft_webauthn import SoftWebauthnDevice

from tests.mfa import DEVELOPER_EMAIL, SMS_CONFIGURATION
from tests.signin import ALL_FLOWS, NEW_PASSWORD, make_client

PHONE = "+15555550123"
ORIGIN = "https://login.example.com"
RP_ID = "login.example.com"
FACTORS = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def passwordless_pool(make_pool: Any, cognito: Any, factors: list[str] | None = None, **config: Any) -> str:
    """A pool allowing ``factors`` first (all four by default), email through SES, SMS, passkeys for RP_ID."""
    config.setdefault("EmailConfiguration", DEVELOPER_EMAIL)
    config.setdefault("SmsConfiguration", SMS_CONFIGURATION)
    config.setdefault("AutoVerifiedAttributes", ["email"])
    pool = str(make_pool(Policies={"SignInPolicy": {"AllowedFirstAuthFactors": factors or FACTORS}}, **config))
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool, MfaConfiguration="OFF", WebAuthnConfiguration={"RelyingPartyId": RP_ID}
    )
    return pool


def user_auth_client(cognito: Any, pool: str, **config: Any) -> str:
    config.setdefault("ExplicitAuthFlows", [*ALL_FLOWS, "ALLOW_USER_AUTH"])
    return str(make_client(cognito, pool, **config)["ClientId"])


def verified_user(cognito: Any, pool: str, username: str = "alice", password: str | None = NEW_PASSWORD) -> None:
    """A confirmed user with a verified email and phone number (and a password unless ``password`` is None)."""
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": f"{username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "phone_number", "Value": PHONE},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
    )
    if password is not None:
        cognito.admin_set_user_password(UserPoolId=pool, Username=username, Password=password, Permanent=True)


def user_auth(cognito: Any, client_id: str, username: str = "alice", **parameters: str) -> dict[str, Any]:
    return dict(
        cognito.initiate_auth(
            ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": username, **parameters}
        )
    )


def answer(cognito: Any, client_id: str, previous: dict[str, Any], name: str | None = None, **responses: str) -> Any:
    return cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName=name or previous["ChallengeName"],
        Session=previous["Session"],
        ChallengeResponses={"USERNAME": "alice", **responses},
    )


class Passkey:
    """A software authenticator holding one credential; ``create`` and ``get`` take the server's JSON options
    and answer RegistrationResponseJSON / AuthenticationResponseJSON."""

    def __init__(self) -> None:
        self.device = SoftWebauthnDevice()

    def create(self, options: dict[str, Any], origin: str = ORIGIN) -> dict[str, Any]:
        public_key = dict(options)
        public_key["challenge"] = unb64url(options["challenge"])
        public_key["user"] = {**options["user"], "id": unb64url(options["user"]["id"])}
        made = self.device.create({"publicKey": public_key}, origin)
        return {
            "id": b64url(made["rawId"]),
            "rawId": b64url(made["rawId"]),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(made["response"]["clientDataJSON"]),
                "attestationObject": b64url(made["response"]["attestationObject"]),
                "transports": ["internal"],
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }

    def get(self, request_options: str, origin: str = ORIGIN) -> dict[str, Any]:
        options = json.loads(request_options)
        public_key = {**options, "challenge": unb64url(options["challenge"])}
        made = self.device.get({"publicKey": public_key}, origin)
        response = made["response"]
        return {
            "id": b64url(made["rawId"]),
            "rawId": b64url(made["rawId"]),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(response["clientDataJSON"]),
                "authenticatorData": b64url(response["authenticatorData"]),
                "signature": b64url(response["signature"]),
                "userHandle": b64url(response["userHandle"]),
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }
