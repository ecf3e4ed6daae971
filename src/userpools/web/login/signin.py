"""/login: username and password through AdminInitiateAuth's own steps (triggers, lockout, migration), then
the code; choice-based sign-in (USER_AUTH) for clients that allow it (choice.py); /newPassword:
NEW_PASSWORD_REQUIRED for invited users. Every later step is outcomes.py's: MFA (mfa.py), passkeys, the callback."""

from __future__ import annotations

from starlette.responses import Response

from userpools.domain.errors import PasswordResetRequiredException, UserNotConfirmedException
from userpools.errors import ServiceError
from userpools.web.login import choice, outcomes
from userpools.web.login.visit import Visit
from userpools.web.oauth import authorize, sessions


def show(visit: Visit, error: str | None = None, status: int = 200) -> Response:
    username = visit.field("username") or visit.request.query_params.get("login_hint") or ""
    supported = visit.auth.client.config.get("SupportedIdentityProviders") or []
    providers = [
        (name, visit.link("/oauth2/authorize", identity_provider=name)) for name in supported if name != "COGNITO"
    ]
    return visit.show(
        "login.html", status=status, error=error, username=username, providers=providers, choice=visit.choice_based
    )


def sign_in_form(visit: Visit) -> Response:
    if visit.auth.prompt != "login":
        signed_in = sessions.current(visit.context, visit.site, visit.request, visit.auth.client.id)
        if signed_in is not None:  # e.g. a second client of the same domain
            return authorize.grant(visit.context, visit.site, visit.auth, *signed_in)
    return show(visit)


def sign_in(visit: Visit) -> Response:
    if visit.choice_based:
        return choice.submit(visit)
    username, password = visit.field("username"), visit.field("password")
    if not username or not password:
        return show(visit, "Enter your username and password.", 400)
    try:
        outcome = outcomes.initiate(visit, "ADMIN_USER_PASSWORD_AUTH", username, {"PASSWORD": password})
        return outcomes.follow(visit, outcome, username)
    except UserNotConfirmedException:
        return visit.go("/confirm", username=username)
    except PasswordResetRequiredException:
        return visit.go("/forgotPassword", username=username)
    except ServiceError as error:
        return show(visit, error.message, 400)


def new_password(visit: Visit) -> Response:
    """The challenge's Session is spent by any answer (as RespondToAuthChallenge's): after an error the
    user signs in again with the temporary password."""
    username, session, password = visit.field("username"), visit.field("session"), visit.field("new_password")
    responses = {"NEW_PASSWORD": password}
    for key in visit.form or {}:
        if isinstance(key, str) and key.startswith("userAttributes."):
            responses[key] = visit.field(key)
    try:
        outcome = outcomes.respond(visit, "NEW_PASSWORD_REQUIRED", session, username, responses)
        return outcomes.follow(visit, outcome, username)
    except ServiceError as error:
        return show(visit, f"{error.message} Sign in again with your temporary password.", 400)
