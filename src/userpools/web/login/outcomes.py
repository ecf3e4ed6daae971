"""Where a managed login sign-in goes after each step: the page for whatever challenge AdminInitiateAuth or
AdminRespondToAuthChallenge answered (the choice of a first factor, a code, a passkey, a new password, MFA),
or, with every factor proven, the callback (auth/passkeys.py may first offer to add a passkey).

The pages run the API's own steps (``hosted_sign_in`` / ``hosted_answer``), so codes are sent, counted and
expire as through the API; a code's challenge is asked here once it has been sent (auth/mfa_codes.py)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from starlette.responses import Response

from userpools.operations.auth import mfa_codes
from userpools.operations.auth.guards import AuthRequest
from userpools.operations.auth.handlers import hosted_answer, hosted_sign_in
from userpools.operations.auth.outcome import Outcome
from userpools.web.login import calls, passkeys
from userpools.web.login.visit import Visit

CODE_RESPONSES = {
    "SMS_MFA": "SMS_MFA_CODE",
    "EMAIL_OTP": "EMAIL_OTP_CODE",
    "SMS_OTP": "SMS_OTP_CODE",
    "SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE",
}
FACTORS = ("WEB_AUTHN", "EMAIL_OTP", "SMS_OTP", "PASSWORD")  # as the choice page lists them (no PASSWORD_SRP)


def login_page(visit: Visit, error: str | None = None, status: int = 200) -> Response:
    """The first page (signin.show): username and password, or the username alone for choice-based sign-in."""
    from userpools.web.login import signin  # signin reaches this module through choice.py

    return signin.show(visit, error, status)


def _secret(visit: Visit, username: str, values: dict[str, str]) -> dict[str, str]:
    secret_hash = calls.secret_hash(visit.auth.client, username)
    return {**values, "SECRET_HASH": secret_hash} if secret_hash is not None else values


def _sent(visit: Visit, req: AuthRequest, outcome: Outcome) -> Outcome:
    return mfa_codes.send(visit.context, req, outcome.code) if outcome.code is not None else outcome


def initiate(visit: Visit, flow: str, username: str, values: dict[str, str], session: str | None = None) -> Outcome:
    """``session``: ConfirmSignUp's, which USER_AUTH turns into a sign-in of the user just confirmed."""
    params = {
        "UserPoolId": visit.site.pool.id,
        "ClientId": visit.auth.client.id,
        "AuthFlow": flow,
        "AuthParameters": _secret(visit, username, {"USERNAME": username, **values}),
        "Session": session,
    }
    req, outcome = hosted_sign_in(visit.context, calls.checked("AdminInitiateAuth", params))
    return _sent(visit, req, outcome)


def respond(visit: Visit, challenge: str, session: str, username: str, responses: dict[str, str]) -> Outcome:
    params = {
        "UserPoolId": visit.site.pool.id,
        "ClientId": visit.auth.client.id,
        "ChallengeName": challenge,
        "Session": session,
        "ChallengeResponses": _secret(visit, username, {"USERNAME": username, **responses}),
    }
    req, outcome = hosted_answer(visit.context, calls.checked("AdminRespondToAuthChallenge", params))
    return _sent(visit, req, outcome)


def follow(
    visit: Visit,
    outcome: Outcome,
    username: str,
    *,
    error: str | None = None,
    passkey_first: bool = True,
    resend: str | None = None,
) -> Response:
    """The page for ``outcome``. ``passkey_first``: a user who has a passkey is asked for it straight away,
    with a way to the other factors (managed login's preferred factor), unless they asked for those.
    ``resend``: the first factor (EMAIL_OTP, SMS_OTP) whose code page may ask for a new code."""
    if outcome.grant is not None:
        return passkeys.after_sign_in(visit, outcome.grant)
    name = str(outcome.challenge)
    shown: dict[str, Any] = {
        "session": outcome.session,
        "username": username,
        "error": error,
        "status": 400 if error else 200,
    }
    if name == "SELECT_CHALLENGE":
        factors = [f for f in FACTORS if f in (outcome.available or [])]
        if factors == ["PASSWORD"]:
            return visit.show("password.html", **shown)
        if passkey_first and "WEB_AUTHN" in factors and outcome.session is not None:
            return follow(visit, respond(visit, name, outcome.session, username, {"ANSWER": "WEB_AUTHN"}), username)
        return visit.show("choose.html", factors=factors, **shown)
    if name == "WEB_AUTHN":
        return visit.show("passkey.html", options=outcome.parameters["CREDENTIAL_REQUEST_OPTIONS"], **shown)
    if name in CODE_RESPONSES:
        destination = outcome.parameters.get("CODE_DELIVERY_DESTINATION")
        return visit.show("code.html", challenge=name, destination=destination, resend=resend, **shown)
    if name == "SELECT_MFA_TYPE":
        choices = json.loads(outcome.parameters.get("MFAS_CAN_CHOOSE", "[]"))
        return visit.show("select_mfa.html", choices=choices, **shown)
    if name == "MFA_SETUP" and "SOFTWARE_TOKEN_MFA" in json.loads(outcome.parameters.get("MFAS_CAN_SETUP", "[]")):
        associated = calls.invoke(visit.context, "AssociateSoftwareToken", {"Session": outcome.session})
        return totp_setup(visit, username, associated["Session"], associated["SecretCode"], error)
    if name == "NEW_PASSWORD_REQUIRED":
        required = json.loads(outcome.parameters.get("requiredAttributes", "[]"))
        names = [n.removeprefix("userAttributes.") for n in required]
        return visit.show("new_password.html", required=names, **shown)
    return visit.show(
        "message.html",
        status=501,
        title_key="unsupported_title",
        message=f"The {name} challenge is not supported on managed login yet. "
        "Sign in through the API (InitiateAuth and RespondToAuthChallenge) instead.",
    )


def totp_setup(visit: Visit, username: str, session: str, secret: str, error: str | None = None) -> Response:
    """MFA_SETUP for an authenticator app: the secret (and its otpauth URI) and the first code."""
    issuer = visit.site.pool.name
    uri = f"otpauth://totp/{quote(issuer)}:{quote(username)}?secret={secret}&issuer={quote(issuer)}"
    return visit.show("totp_setup.html", session=session, username=username, secret=secret, uri=uri, error=error)
