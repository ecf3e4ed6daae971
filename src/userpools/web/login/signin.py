"""/login: username and password through AdminInitiateAuth's own steps (triggers, lockout, migration), then
the code; /newPassword: NEW_PASSWORD_REQUIRED for invited users. Other challenges (MFA, custom) have no
page yet and say so."""

from __future__ import annotations

import json

from starlette.responses import Response

from userpools.domain.errors import PasswordResetRequiredException, UserNotConfirmedException
from userpools.errors import ServiceError
from userpools.operations.auth.handlers import hosted_answer, hosted_sign_in
from userpools.operations.auth.outcome import Outcome
from userpools.web.login import calls
from userpools.web.login.visit import Visit
from userpools.web.oauth import authorize, sessions


def show(visit: Visit, error: str | None = None, status: int = 200) -> Response:
    username = visit.field("username") or visit.request.query_params.get("login_hint") or ""
    supported = visit.auth.client.config.get("SupportedIdentityProviders") or []
    providers = [
        (name, visit.link("/oauth2/authorize", identity_provider=name)) for name in supported if name != "COGNITO"
    ]
    return visit.show("login.html", status=status, error=error, username=username, providers=providers)


def sign_in_form(visit: Visit) -> Response:
    if visit.auth.prompt != "login":
        signed_in = sessions.current(visit.context, visit.site, visit.request, visit.auth.client.id)
        if signed_in is not None:  # e.g. a second client of the same domain
            return authorize.grant(visit.context, visit.site, visit.auth, *signed_in)
    return show(visit)


def sign_in(visit: Visit) -> Response:
    username, password = visit.field("username"), visit.field("password")
    if not username or not password:
        return show(visit, "Enter your username and password.", 400)
    client = visit.auth.client
    values = {"USERNAME": username, "PASSWORD": password}
    secret_hash = calls.secret_hash(client, username)
    if secret_hash is not None:
        values["SECRET_HASH"] = secret_hash
    params = {
        "UserPoolId": visit.site.pool.id,
        "ClientId": client.id,
        "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
        "AuthParameters": values,
    }
    try:
        _, outcome = hosted_sign_in(visit.context, calls.checked("AdminInitiateAuth", params))
    except UserNotConfirmedException:
        return visit.go("/confirm", username=username)
    except PasswordResetRequiredException:
        return visit.go("/forgotPassword", username=username)
    except ServiceError as error:
        return show(visit, error.message, 400)
    return _next(visit, outcome, username)


def _next(visit: Visit, outcome: Outcome, username: str) -> Response:
    if outcome.grant is not None:
        return visit.signed_in(outcome.grant)
    if outcome.challenge == "NEW_PASSWORD_REQUIRED":
        required = json.loads(outcome.parameters.get("requiredAttributes", "[]"))
        names = [name.removeprefix("userAttributes.") for name in required]
        return visit.show("new_password.html", session=outcome.session, username=username, required=names, error=None)
    return visit.show(
        "message.html",
        status=501,
        title_key="unsupported_title",
        message=f"The {outcome.challenge} challenge is not supported on managed login yet. "
        "Sign in through the API (InitiateAuth and RespondToAuthChallenge) instead.",
    )


def new_password(visit: Visit) -> Response:
    """The challenge's Session is spent by any answer (as RespondToAuthChallenge's): after an error the
    user signs in again with the temporary password."""
    username, session, password = visit.field("username"), visit.field("session"), visit.field("new_password")
    responses = {"USERNAME": username, "NEW_PASSWORD": password}
    secret_hash = calls.secret_hash(visit.auth.client, username)
    if secret_hash is not None:
        responses["SECRET_HASH"] = secret_hash
    for key in visit.form or {}:
        if isinstance(key, str) and key.startswith("userAttributes."):
            responses[key] = visit.field(key)
    params = {
        "UserPoolId": visit.site.pool.id,
        "ClientId": visit.auth.client.id,
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": session,
        "ChallengeResponses": responses,
    }
    try:
        _, outcome = hosted_answer(visit.context, calls.checked("AdminRespondToAuthChallenge", params))
    except ServiceError as error:
        return show(visit, f"{error.message} Sign in again with your temporary password.", 400)
    return _next(visit, outcome, username)
