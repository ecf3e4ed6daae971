"""Second-factor challenge answers, one class each: SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE
and MFA_SETUP. A wrong code answers CodeMismatchException and counts as a failed sign-in (towards the
lockout); the session it came with is spent either way."""

from __future__ import annotations

from typing import Any, ClassVar

from userpools.domain import mfa, totp
from userpools.domain.errors import CodeMismatchException, InvalidParameterException, NotAuthorizedException
from userpools.domain.users import User
from userpools.operations.auth import decoy
from userpools.operations.auth.challenges import INVALID_SESSION, Challenge
from userpools.operations.auth.guards import (
    AuthRequest,
    before_password,
    check_secret_hash,
    record_failure,
    signed_in,
)
from userpools.operations.auth.outcome import Outcome
from userpools.operations.auth.steps import SignIn, ask, granted
from userpools.steps import codes, followup, sealing
from userpools.steps.common import find_user

MISMATCH = "Invalid code received for user"


def _signing_in(req: AuthRequest, sign_in: SignIn) -> User:
    """The session's user, named by USERNAME, still allowed to sign in."""
    username = req.param("USERNAME")
    user = req.tx.users.get_by_id(sign_in.user_id)
    named = find_user(req.tx, req.pool, username)
    if user is None or named is None or named.id != user.id:
        raise NotAuthorizedException(INVALID_SESSION)
    check_secret_hash(req.client, req.parameters.get("SECRET_HASH"), username, user.username)
    before_password(req, user, password=not sign_in.passwordless)
    return user


def _mismatch(req: AuthRequest, user: User, factor: str) -> Exception:
    assert user.id is not None
    user_id, now = user.id, req.ctx.clock.now()

    def count(tx: Any) -> None:
        record_failure(tx, user_id, now)
        tx.codes.discard(user_id, factor)

    return followup.attach(CodeMismatchException(MISMATCH), count)


class CodeChallenge(Challenge):
    """SMS_MFA and EMAIL_OTP: the code sent when the challenge was asked."""

    response: ClassVar[str]

    def respond(self, req: AuthRequest, state: dict[str, Any]) -> Outcome:
        if state.get("decoy"):  # USER_AUTH's code for a user that does not exist (auth/decoy.py)
            decoy.answered(req, state)
            req.param(self.response)
            raise CodeMismatchException(MISMATCH)
        sign_in = SignIn.of(state)
        user = _signing_in(req, sign_in)
        code = req.param(self.response)
        assert user.id is not None
        row = req.tx.codes.get(user.id, self.name)
        if row is None or row.expires <= req.ctx.clock.now():
            raise NotAuthorizedException(INVALID_SESSION)
        if not codes.matches(req.ctx, user.id, self.name, row.code_hash, code):
            raise _mismatch(req, user, self.name)
        req.tx.codes.discard(user.id, self.name)
        signed_in(req, user)
        return granted(req, user, sign_in)


class SmsMfa(CodeChallenge):
    name = mfa.SMS
    response = "SMS_MFA_CODE"


class EmailOtp(CodeChallenge):
    name = mfa.EMAIL
    response = "EMAIL_OTP_CODE"


class SoftwareTokenMfa(Challenge):
    """SOFTWARE_TOKEN_MFA: a code of the user's authenticator, of a time step later than any accepted before."""

    name = mfa.TOTP

    def respond(self, req: AuthRequest, state: dict[str, Any]) -> Outcome:
        sign_in = SignIn.of(state)
        user = _signing_in(req, sign_in)
        code = req.param("SOFTWARE_TOKEN_MFA_CODE")
        setting = dict(user.mfa.get(mfa.TOTP) or {})
        now = req.ctx.clock.now()
        if not setting.get("secret"):
            raise NotAuthorizedException(INVALID_SESSION)
        step = totp.accepted_step(sealing.unseal(req.ctx, setting["secret"]), code, now, setting.get("last_step"))
        if step is None:
            raise _mismatch(req, user, self.name)
        assert user.id is not None
        setting["last_step"] = step
        user.mfa = {**user.mfa, mfa.TOTP: setting}
        req.tx.users.update(user)
        signed_in(req, user)
        return granted(req, user, sign_in)


class SelectMfaType(Challenge):
    """SELECT_MFA_TYPE: ANSWER names one of MFAS_CAN_CHOOSE, whose challenge follows."""

    name = "SELECT_MFA_TYPE"

    def respond(self, req: AuthRequest, state: dict[str, Any]) -> Outcome:
        sign_in = SignIn.of(state)
        user = _signing_in(req, sign_in)
        answer = req.param("ANSWER")
        if answer not in state.get("choices", []):
            raise InvalidParameterException(f"{answer} is not one of the MFA types the user can choose.")
        return ask(req, user, sign_in, answer, (answer,))


class MfaSetup(Challenge):
    """MFA_SETUP: answered with the Session VerifySoftwareToken returned once the new authenticator's first
    code was right (AssociateSoftwareToken and VerifySoftwareToken carry the sign-in's state along)."""

    name = "MFA_SETUP"

    def respond(self, req: AuthRequest, state: dict[str, Any]) -> Outcome:
        sign_in = SignIn.of(state)
        user = _signing_in(req, sign_in)
        if not state.get("verified"):
            raise InvalidParameterException(
                "The software token is not verified: answer MFA_SETUP with the Session VerifySoftwareToken returned."
            )
        signed_in(req, user)
        return granted(req, user, sign_in)


CHALLENGES: dict[str, Challenge] = {
    c.name: c for c in (SmsMfa(), EmailOtp(), SoftwareTokenMfa(), SelectMfaType(), MfaSetup())
}
