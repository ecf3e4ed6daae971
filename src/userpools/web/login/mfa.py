"""/mfa: the codes and second factors of a managed login sign-in — a code sent by SMS or email (SMS_MFA,
EMAIL_OTP, and USER_AUTH's SMS_OTP), an authenticator app's code (SOFTWARE_TOKEN_MFA), the choice among them
(SELECT_MFA_TYPE), and setting up an authenticator app when the pool requires MFA and the user has none
(MFA_SETUP: AssociateSoftwareToken and VerifySoftwareToken with the sign-in's Session, as Amplify does).

A wrong code spends the challenge's session (as RespondToAuthChallenge does): a choice-based sign-in starts
again at its choice page, a password sign-in at the sign-in page, each showing the error. A wrong first code of
a new authenticator leaves the setup's session as it was (VerifySoftwareToken's error changes nothing), so
the same page asks again."""

from __future__ import annotations

from starlette.responses import Response

from userpools.errors import ServiceError
from userpools.web.login import calls, choice, outcomes
from userpools.web.login.visit import Visit


def show(visit: Visit) -> Response:
    return visit.go("/login")


def answer(visit: Visit) -> Response:
    challenge, session, username = visit.field("challenge"), visit.field("session"), visit.field("username")
    try:
        if challenge == "MFA_SETUP":
            return _set_up(visit, session, username)
        if challenge == "SELECT_MFA_TYPE":
            responses = {"ANSWER": visit.field("answer")}
        elif challenge in outcomes.CODE_RESPONSES:
            responses = {outcomes.CODE_RESPONSES[challenge]: visit.field("code")}
        else:
            return visit.go("/login")
        outcome = outcomes.respond(visit, challenge, session, username, responses)
        return outcomes.follow(visit, outcome, username)
    except ServiceError as error:
        return _again(visit, username, error.message)


def _again(visit: Visit, username: str, message: str) -> Response:
    if visit.choice_based:
        return choice.restart(visit, username, message)
    return outcomes.login_page(visit, f"{message.rstrip('.')}. Sign in again.", 400)


def _set_up(visit: Visit, session: str, username: str) -> Response:
    secret = visit.field("secret")
    try:
        verified = calls.invoke(
            visit.context, "VerifySoftwareToken", {"Session": session, "UserCode": visit.field("code")}
        )
    except ServiceError as error:
        if error.code != "EnableSoftwareTokenMFAException":  # a wrong code; anything else ends the setup
            raise
        return outcomes.totp_setup(visit, username, session, secret, error.message)
    outcome = outcomes.respond(visit, "MFA_SETUP", verified["Session"], username, {})
    return outcomes.follow(visit, outcome, username)
