"""USER_AUTH, choice-based sign-in: the first factor is whichever of the pool's AllowedFirstAuthFactors the
user can use — the password (PASSWORD, or PASSWORD_SRP then PASSWORD_VERIFIER), a code by email (EMAIL_OTP)
or SMS (SMS_OTP), or a passkey (WEB_AUTHN). PREFERRED_CHALLENGE names it at once; without it, or when the
user cannot use it, SELECT_CHALLENGE lists AvailableChallenges and ANSWER picks one.

After the first factor, as Cognito applies MFA: a password goes on to the pool's second factor
(auth/steps.py); a one-time code is itself the second factor; a passkey is enough unless the pool
requires MFA and its passkeys do not satisfy MFA (FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION
with a user-verifying authenticator), when the pool's second factor follows.

InitiateAuth with the Session ConfirmSignUp answered (Amplify's ``autoSignIn``) signs the new user in:
the code that confirmed it was the factor."""

from __future__ import annotations

from typing import Any

from userpools.domain import mfa, sign_in_policy, srp, webauthn
from userpools.domain.errors import InvalidParameterException, NotAuthorizedException, UserNotConfirmedException
from userpools.domain.tokens import hash_token
from userpools.domain.users import User, UserStatus
from userpools.operations import webauthn as passkeys
from userpools.operations.auth import decoy
from userpools.operations.auth.challenges import INVALID_SESSION, Challenge
from userpools.operations.auth.flows import Flow, Prelude, UserSrpAuth
from userpools.operations.auth.guards import (
    AuthRequest,
    SignInFailure,
    before_password,
    check_secret_hash,
    new_session,
    record_failure,
    signed_in,
    signing_in_user,
)
from userpools.operations.auth.outcome import Outcome, challenge, opened_state, sealed_state
from userpools.operations.auth.second_factor import CodeChallenge
from userpools.operations.auth.steps import (
    AUTHENTICATION,
    PendingCode,
    SignIn,
    authenticated,
    first_factor_done,
    granted,
)
from userpools.steps import followup
from userpools.steps.common import find_user
from userpools.steps.context import Context
from userpools.storage.unit import Tx

SELECT_CHALLENGE = "SELECT_CHALLENGE"
PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN = "PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"
CHOICES = (WEB_AUTHN, EMAIL_OTP, SMS_OTP, PASSWORD, PASSWORD_SRP)
AUTO_SIGN_IN = "SIGN_UP_SESSION"  # the auth session ConfirmSignUp leaves for USER_AUTH
NOT_THEIRS = "The passkey is not one of this user's."


def available(req: AuthRequest, user: User) -> list[str]:
    """The first factors both the pool allows and the user has set up, as AvailableChallenges names them."""
    assert user.id is not None
    factors = sign_in_policy.configured_factors(
        req.pool.config, user.attributes, user.credentials is not None, req.tx.webauthn.has_any(user.id)
    )
    have = set(factors) | ({PASSWORD_SRP} if PASSWORD in factors else set())
    return [name for name in CHOICES if name in have]


def _passwordless(req: AuthRequest, user: User) -> SignIn:
    if user.status is UserStatus.UNCONFIRMED:
        raise UserNotConfirmedException("User is not confirmed.")
    assert user.id is not None
    return SignIn(user.id, user.username, AUTHENTICATION, req.ctx.clock.now(), passwordless=True)


def begin(req: AuthRequest, user: User, name: str) -> Outcome:
    """The chosen first factor: checked at once (PASSWORD) or asked for (the others)."""
    if name == PASSWORD:
        password = req.param("PASSWORD")
        assert user.credentials is not None and user.id is not None
        if not srp.password_matches(
            req.pool.short_name, user.username, password, user.credentials.salt, user.credentials.verifier
        ):
            raise SignInFailure(user.id, req.ctx.clock.now())
        return authenticated(req, user, req.parameters.get("DEVICE_KEY"))
    if name == PASSWORD_SRP:
        req.param("SRP_A")
        return UserSrpAuth().start(req)
    sign_in = _passwordless(req, user)
    if name in (EMAIL_OTP, SMS_OTP):
        return Outcome(code=PendingCode(name, user, sign_in))
    return _passkey_challenge(req, user, sign_in)


def _passkey_challenge(req: AuthRequest, user: User, sign_in: SignIn) -> Outcome:
    assert user.id is not None
    rp_id = passkeys.relying_party(req.ctx, req.tx, req.pool)
    credentials = req.tx.webauthn.page(user.id, None, passkeys.MAX_CREDENTIALS)
    options, nonce = webauthn.authentication_options(
        rp_id=rp_id,
        allow=[(c.credential_id, c.transports) for c in credentials],
        user_verification=passkeys.user_verification(req.pool),
    )
    state = {**sign_in.state(), "challenge": nonce, "rp_id": rp_id}
    return challenge(req, WEB_AUTHN, {"CREDENTIAL_REQUEST_OPTIONS": options, "USERNAME": user.username}, state)


def _select(req: AuthRequest, user: User, choices: list[str]) -> Outcome:
    state = {"user_id": user.id, "username": user.username, "available": choices}
    out = challenge(req, SELECT_CHALLENGE, {"USERNAME": user.username}, state)
    out.available = choices
    return out


class UserAuth(Flow):
    names = ("USER_AUTH",)

    def look_up(self, req: AuthRequest) -> Prelude | None:
        username = req.param("USERNAME")
        check_secret_hash(req.client, req.parameters.get("SECRET_HASH"), username)
        user = find_user(req.tx, req.pool, username)
        if user is not None:
            before_password(req, user, password=False)
        return Prelude(username, user)

    def start(self, req: AuthRequest) -> Outcome:
        username = req.param("USERNAME")
        check_secret_hash(req.client, req.parameters.get("SECRET_HASH"), username)
        preferred = req.parameters.get("PREFERRED_CHALLENGE")
        if find_user(req.tx, req.pool, username) is None and req.client.prevents_user_existence_errors:
            if req.session:
                raise NotAuthorizedException(INVALID_SESSION)
            if preferred and preferred not in CHOICES:
                raise InvalidParameterException(f"{preferred} is not a valid PREFERRED_CHALLENGE.")
            return decoy.start(req, username, preferred)  # a plausible challenge, not an error (decoy.py)
        user = signing_in_user(req, username)
        before_password(req, user, password=False)
        if req.session:
            return _auto_sign_in(req, user, req.session)
        if preferred and preferred not in CHOICES:
            raise InvalidParameterException(f"{preferred} is not a valid PREFERRED_CHALLENGE.")
        choices = available(req, user)
        if preferred in choices:
            return begin(req, user, str(preferred))
        if not choices:
            raise NotAuthorizedException("The user has no sign-in method that this user pool allows.")
        return _select(req, user, choices)


def _auto_sign_in(req: AuthRequest, user: User, session: str) -> Outcome:
    row = req.tx.auth_sessions.take(hash_token(session), req.ctx.clock.now())
    if row is None or row.challenge != AUTO_SIGN_IN or row.client_id != req.client.id:
        raise NotAuthorizedException(INVALID_SESSION)
    if opened_state(req.ctx, row.state).get("user_id") != user.id:
        raise NotAuthorizedException(INVALID_SESSION)
    sign_in = _passwordless(req, user)
    signed_in(req, user)
    return granted(req, user, sign_in)


def start_auto_sign_in(ctx: Context, tx: Tx, pool_id: str, client_id: str, user: User, minutes: float) -> str:
    """ConfirmSignUp's Session: one USER_AUTH sign-in of the user just confirmed, within AuthSessionValidity."""
    from datetime import timedelta

    token, key = new_session()
    expires = ctx.clock.now() + timedelta(minutes=minutes)
    tx.auth_sessions.put(key, pool_id, client_id, AUTO_SIGN_IN, sealed_state(ctx, {"user_id": user.id}), expires)
    return token


def _session_user(req: AuthRequest, user_id: int, passwordless: bool) -> User:
    """The session's user, named by USERNAME, still allowed to sign in."""
    username = req.param("USERNAME")
    user = req.tx.users.get_by_id(user_id)
    named = find_user(req.tx, req.pool, username)
    if user is None or named is None or named.id != user.id:
        raise NotAuthorizedException(INVALID_SESSION)
    check_secret_hash(req.client, req.parameters.get("SECRET_HASH"), username, user.username)
    before_password(req, user, password=not passwordless)
    return user


class SelectChallenge(Challenge):
    """SELECT_CHALLENGE: ANSWER names one of AvailableChallenges, with PASSWORD or SRP_A for the password."""

    name = SELECT_CHALLENGE

    def respond(self, req: AuthRequest, state: dict[str, Any]) -> Outcome:
        if state.get("decoy"):
            return decoy.select(req, state)
        user = _session_user(req, int(state["user_id"]), passwordless=True)
        answer = req.param("ANSWER")
        if answer not in state.get("available", []):
            raise InvalidParameterException(f"{answer} is not one of the available challenges.")
        return begin(req, user, answer)


class SmsOtp(CodeChallenge):
    """SMS_OTP: the code USER_AUTH sent by SMS (EMAIL_OTP is answered as the email MFA code is)."""

    name = SMS_OTP
    response = "SMS_OTP_CODE"


class WebAuthnChallenge(Challenge):
    """WEB_AUTHN: CREDENTIAL is the authenticator's assertion (AuthenticationResponseJSON) for the options sent."""

    name = WEB_AUTHN

    def respond(self, req: AuthRequest, state: dict[str, Any]) -> Outcome:
        if state.get("decoy"):
            decoy.answered(req, state)
            webauthn.parse(req.param("CREDENTIAL"))
            raise NotAuthorizedException(NOT_THEIRS)
        sign_in = SignIn.of(state)
        user = _session_user(req, sign_in.user_id, passwordless=True)
        assert user.id is not None
        credential = webauthn.parse(req.param("CREDENTIAL"))
        stored = req.tx.webauthn.get(req.pool.id, str(credential["id"]))
        if stored is None or stored.user_id != user.id or stored.id is None:
            raise _refused(req, user, NOT_THEIRS)
        try:
            asserted = webauthn.verify_assertion(
                credential,
                challenge=str(state["challenge"]),
                rp_id=str(state["rp_id"]),
                public_key=stored.public_key,
                sign_count=stored.sign_count,
                user_verification=passkeys.user_verification(req.pool),
            )
        except NotAuthorizedException as error:
            raise _refused(req, user, error.message) from None
        req.tx.webauthn.set_sign_count(stored.id, asserted.sign_count)
        pool_mfa = mfa.PoolMfa.of(req.pool.config)
        satisfies = sign_in_policy.passkey_satisfies_mfa(req.pool.config) and asserted.user_verified
        if pool_mfa.mode == "ON" and not satisfies:
            return first_factor_done(req, user, sign_in.source, sign_in.auth_time, passwordless=True)
        signed_in(req, user)
        return granted(req, user, sign_in)


def _refused(req: AuthRequest, user: User, message: str) -> Exception:
    """A passkey refused: NotAuthorizedException, counted towards the lockout as a wrong password is."""
    assert user.id is not None
    user_id, now = user.id, req.ctx.clock.now()
    return followup.attach(NotAuthorizedException(message), lambda tx: record_failure(tx, user_id, now))


FLOWS: dict[str, Flow] = {"USER_AUTH": UserAuth()}
CHALLENGES: dict[str, Challenge] = {c.name: c for c in (SelectChallenge(), SmsOtp(), WebAuthnChallenge())}
