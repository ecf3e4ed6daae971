"""Choice-based sign-in on managed login (USER_AUTH), for app clients with ALLOW_USER_AUTH on a managed login
(version 2) domain, as Cognito's managed login prompts users "to select a sign-in method from the available
options": the username first; then the passkey straight away for a user who has one (with a way to the other
options), else the choice among what the pool allows and the user has set up — password, a code by email, a
code by SMS, passkey — or, when the password is all there is, the password page.

Every POST to /login carries ``step``: none (the username), ``choose`` (a factor picked from SELECT_CHALLENGE),
``password``, ``passkey`` (the assertion the page's script got from ``navigator.credentials.get``),
``resend`` (a new code: USER_AUTH again with that factor as PREFERRED_CHALLENGE) or ``others``. An answer
spends its challenge's session, as RespondToAuthChallenge does; after an error the sign-in starts again from
the username (a new USER_AUTH), showing the error on the choice (or password) page."""

from __future__ import annotations

from starlette.responses import Response

from userpools.domain.errors import PasswordResetRequiredException, UserNotConfirmedException
from userpools.errors import ServiceError
from userpools.operations.auth.outcome import Outcome
from userpools.web.login import outcomes
from userpools.web.login.visit import Visit

CODES = ("EMAIL_OTP", "SMS_OTP")


def submit(visit: Visit) -> Response:
    username, step = visit.field("username"), visit.field("step")
    if not username:
        return outcomes.login_page(visit, "Enter your username.", 400)
    session = visit.field("session")
    factor = visit.field("factor") if step in ("choose", "resend") else ("PASSWORD" if step == "password" else None)
    try:
        if step == "choose" and factor == "PASSWORD":
            return visit.show("password.html", session=session, username=username, error=None)
        outcome, passkey_first = _step(visit, step, username, session)
        if factor in CODES:  # a first factor's code: the page can send a new one
            return outcomes.follow(visit, outcome, username, resend=factor)
        return outcomes.follow(visit, outcome, username, passkey_first=passkey_first)
    except UserNotConfirmedException:
        return visit.go("/confirm", username=username)
    except PasswordResetRequiredException:
        return visit.go("/forgotPassword", username=username)
    except ServiceError as error:
        return restart(visit, username, error.message, factor)


def _step(visit: Visit, step: str, username: str, session: str) -> tuple[Outcome, bool]:
    if step == "choose":
        answer = {"ANSWER": visit.field("factor")}
        return outcomes.respond(visit, "SELECT_CHALLENGE", session, username, answer), True
    if step == "password":
        answer = {"ANSWER": "PASSWORD", "PASSWORD": visit.field("password")}
        return outcomes.respond(visit, "SELECT_CHALLENGE", session, username, answer), True
    if step == "resend":
        preferred = {"PREFERRED_CHALLENGE": visit.field("factor")}
        return outcomes.initiate(visit, "USER_AUTH", username, preferred), False
    if step == "passkey":
        return outcomes.respond(visit, "WEB_AUTHN", session, username, {"CREDENTIAL": visit.field("credential")}), True
    return outcomes.initiate(visit, "USER_AUTH", username, {}), step != "others"


def restart(visit: Visit, username: str, message: str, factor: str | None = None) -> Response:
    """After an error: a new USER_AUTH for ``username``, its choice page (the password page when the password
    failed) showing ``message``; when even that fails, the first page with its own error."""
    try:
        outcome = outcomes.initiate(visit, "USER_AUTH", username, {})
    except ServiceError as error:
        return outcomes.login_page(visit, error.message, 400)
    if outcome.challenge == "SELECT_CHALLENGE" and factor == "PASSWORD" and "PASSWORD" in (outcome.available or []):
        return visit.show("password.html", status=400, session=outcome.session, username=username, error=message)
    try:
        return outcomes.follow(visit, outcome, username, error=message, passkey_first=False)
    except ServiceError as error:
        return outcomes.login_page(visit, error.message, 400)
