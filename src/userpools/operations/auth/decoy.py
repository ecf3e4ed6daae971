"""USER_AUTH for a user that does not exist, when the client's PreventUserExistenceErrors is ENABLED.

Cognito's documentation: for choice-based authentication it "responds with a random selection from the
challenge types that the user pool allows" — a passkey, a one-time code or a password challenge — instead of
UserNotFoundException. What this server answers (the details are Cognito's behaviour as far as it is known,
and otherwise our choice, written down here and in the README):

- AvailableChallenges: PASSWORD and PASSWORD_SRP (every pool allows the password), and each other factor the
  pool allows by a coin of its own. The coins are drawn from a keyed digest of the pool and the name given,
  not at random per request, so asking twice answers the same, as it does for a real user.
- PREFERRED_CHALLENGE among them: its challenge at once, as for a real user. EMAIL_OTP and SMS_OTP answer with
  a masked destination that is made up (nothing is sent); WEB_AUTHN with request options naming a made-up
  credential; PASSWORD with NotAuthorizedException (a wrong password); PASSWORD_SRP with a PASSWORD_VERIFIER
  challenge on a verifier no password meets.
- Every answer fails as a wrong one does for a real user: CodeMismatchException for a code,
  NotAuthorizedException for a passkey or a password. No failure is counted (there is no one to lock out).
- In a pool with UsernameAttributes, the user name the challenges carry is a UUID made from the same digest,
  as a real user's is a UUID there.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any

from userpools.domain import sealing, sign_in_policy, webauthn
from userpools.domain.errors import InvalidParameterException, NotAuthorizedException
from userpools.operations import webauthn as passkeys
from userpools.operations.auth.challenges import INVALID_SESSION
from userpools.operations.auth.flows import UserSrpAuth
from userpools.operations.auth.guards import INCORRECT, AuthRequest, check_secret_hash
from userpools.operations.auth.outcome import Outcome, challenge

PASSWORD, PASSWORD_SRP = "PASSWORD", "PASSWORD_SRP"
EMAIL_OTP, SMS_OTP, WEB_AUTHN = "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"
_ORDER = (WEB_AUTHN, EMAIL_OTP, SMS_OTP, PASSWORD, PASSWORD_SRP)  # as user_auth.CHOICES
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _digest(req: AuthRequest, username: str) -> bytes:
    text = sealing.digest(req.ctx.keyring, f"user-auth decoy:{req.pool.id}", username.lower())
    return bytes.fromhex(text.rsplit(":", 1)[1])


def internal_name(req: AuthRequest, username: str) -> str:
    """The user name the decoy's challenges carry (USER_ID_FOR_SRP, USERNAME)."""
    if req.pool.config.get("UsernameAttributes"):
        return str(uuid.UUID(bytes=_digest(req, username)[:16], version=4))
    return username


def choices(req: AuthRequest, username: str) -> list[str]:
    allowed = sign_in_policy.allowed_first_factors(req.pool.config)
    coins = _digest(req, username)[16]
    have = {PASSWORD, PASSWORD_SRP}
    for bit, factor in enumerate((EMAIL_OTP, SMS_OTP, WEB_AUTHN)):
        if factor in allowed and coins >> bit & 1:
            have.add(factor)
    return [name for name in _ORDER if name in have]


def _state(req: AuthRequest, username: str, **extra: Any) -> dict[str, Any]:
    return {"decoy": True, "given": username, "username": internal_name(req, username), **extra}


def start(req: AuthRequest, username: str, preferred: str | None) -> Outcome:
    """USER_AUTH's answer: the preferred challenge when the decoy "has" it, else SELECT_CHALLENGE."""
    available = choices(req, username)
    if preferred in available:
        return begin(req, username, str(preferred))
    out = challenge(
        req, "SELECT_CHALLENGE", {"USERNAME": internal_name(req, username)}, _state(req, username, available=available)
    )
    out.available = available
    return out


def begin(req: AuthRequest, username: str, name: str) -> Outcome:
    """The challenge ``name`` for no one, asked as it is asked of a real user."""
    if name == PASSWORD:
        req.param("PASSWORD")
        raise NotAuthorizedException(INCORRECT)
    if name == PASSWORD_SRP:
        req.param("SRP_A")
        return UserSrpAuth().start(req)  # an unknown user's PASSWORD_VERIFIER, which no password meets
    digest = _digest(req, username)
    internal = internal_name(req, username)
    if name in (EMAIL_OTP, SMS_OTP):
        medium = "EMAIL" if name == EMAIL_OTP else "SMS"
        parameters = {
            "CODE_DELIVERY_DELIVERY_MEDIUM": medium,
            "CODE_DELIVERY_DESTINATION": _destination(username, medium, digest),
            "USER_ID_FOR_SRP": internal,
        }
        return challenge(req, name, parameters, _state(req, username))
    rp_id = passkeys.relying_party(req.ctx, req.tx, req.pool)
    credential_id = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    options, _ = webauthn.authentication_options(
        rp_id=rp_id, allow=[(credential_id, ["internal"])], user_verification=passkeys.user_verification(req.pool)
    )
    return challenge(
        req, WEB_AUTHN, {"CREDENTIAL_REQUEST_OPTIONS": options, "USERNAME": internal}, _state(req, username)
    )


def _destination(username: str, medium: str, digest: bytes) -> str:
    """A masked destination as Cognito masks a real one (codes.mask): the name itself when it is an address."""
    if medium == "EMAIL":
        if "@" in username:
            local, _, domain = username.partition("@")
            return f"{local[:1]}***@{domain[:1]}***"
        return f"{_LETTERS[digest[18] % 26]}***@{_LETTERS[digest[19] % 26]}***"
    if username.startswith("+") and username[1:].isdigit():
        return "+" + "*" * max(len(username) - 5, 0) + username[-4:]
    return "+" + "*" * 7 + "".join(str(b % 10) for b in digest[20:24])


def answered(req: AuthRequest, state: dict[str, Any]) -> str:
    """An answer to a decoy's challenge: USERNAME and SECRET_HASH checked as for a real user's; the name given."""
    username = req.param("USERNAME")
    if username not in (state["username"], state["given"]):
        raise NotAuthorizedException(INVALID_SESSION)
    check_secret_hash(req.client, req.parameters.get("SECRET_HASH"), username, str(state["given"]))
    return str(state["given"])


def select(req: AuthRequest, state: dict[str, Any]) -> Outcome:
    """SELECT_CHALLENGE answered for no one: the chosen challenge, as :func:`begin` asks it."""
    given = answered(req, state)
    answer = req.param("ANSWER")
    if answer not in state.get("available", []):
        raise InvalidParameterException(f"{answer} is not one of the available challenges.")
    return begin(req, given, answer)
