"""Sign-in as a small state machine, from a verified first factor to tokens:

    password (or custom challenges) verified
      → NEW_PASSWORD_REQUIRED, when the password is temporary
      → DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER, when DEVICE_KEY names a remembered device (no MFA then)
      → the second factor, when the pool's MFA asks for one (domain.mfa.second_factor):
        MFA_SETUP, SELECT_MFA_TYPE, SOFTWARE_TOKEN_MFA, or a code sent for SMS_MFA / EMAIL_OTP
      → tokens (a Grant, issued by auth.completion once the transaction has ended)

Every flow and challenge that verifies a factor ends in :func:`authenticated` (the password) or
:func:`first_factor_done` (any first factor, the new password included), so no flow can skip a step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from userpools.domain import devices, mfa, risk
from userpools.domain.errors import NotAuthorizedException, UserNotConfirmedException
from userpools.domain.tokens import hash_token
from userpools.domain.users import User, UserStatus
from userpools.operations.auth import issue
from userpools.operations.auth.guards import AuthRequest, signed_in
from userpools.operations.auth.outcome import Outcome, challenge, new_password_required
from userpools.storage.devices import Device

AUTHENTICATION = "TokenGeneration_Authentication"
DEVICE_SRP_AUTH = "DEVICE_SRP_AUTH"


@dataclass(frozen=True)
class SignIn:
    """What a sign-in has established so far, carried from challenge to challenge in the session's state."""

    user_id: int
    username: str
    source: str  # the PreTokenGeneration triggerSource its tokens will have
    auth_time: datetime
    device_key: str | None = None  # a known device of the user's it signs in from
    passwordless: bool = False  # a USER_AUTH first factor other than the password (the user may have none)

    def state(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "username": self.username,
            "source": self.source,
            "auth_time": self.auth_time.isoformat(),
            "device_key": self.device_key,
            "passwordless": self.passwordless,
        }

    @classmethod
    def of(cls, state: dict[str, Any]) -> SignIn:
        return cls(
            int(state["user_id"]),
            str(state["username"]),
            str(state["source"]),
            datetime.fromisoformat(state["auth_time"]),
            state.get("device_key"),
            bool(state.get("passwordless")),
        )


def authenticated(req: AuthRequest, user: User, device_key: str | None = None) -> Outcome:
    """The password is right: what the user's state asks for next."""
    now = req.ctx.clock.now()
    if user.status is UserStatus.UNCONFIRMED:
        raise UserNotConfirmedException("User is not confirmed.")
    if user.status is UserStatus.FORCE_CHANGE_PASSWORD:
        expires = user.credentials.expires if user.credentials else None
        if expires is not None and expires <= now:
            raise NotAuthorizedException("Temporary password has expired and must be reset by an administrator.")
        return new_password_required(req, user, now)
    return first_factor_done(req, user, AUTHENTICATION, now, device_key)


def known_device(req: AuthRequest, user: User, device_key: str | None) -> Device | None:
    """The confirmed device of this user's that DEVICE_KEY names, in a pool that remembers devices."""
    if not device_key or not devices.tracks_devices(req.pool.config):
        return None
    device = req.tx.devices.get(device_key)
    if device is None or device.user_id != user.id or not device.confirmed or device.verifier is None:
        return None
    return device


def first_factor_done(
    req: AuthRequest,
    user: User,
    source: str,
    auth_time: datetime,
    device_key: str | None = None,
    *,
    passwordless: bool = False,
) -> Outcome:
    """The first factor is proven: device SRP on a remembered device, else the second factor, or tokens."""
    assert user.id is not None
    device = known_device(req, user, device_key)
    sign_in = SignIn(user.id, user.username, source, auth_time, device.key if device else None, passwordless)
    if device is not None and device.remembered:
        state = {**sign_in.state(), "group_key": device.group_key}
        return challenge(req, DEVICE_SRP_AUTH, {"USERNAME": user.username}, state, key=device_session(device.key))
    needed = mfa.second_factor(mfa.PoolMfa.of(req.pool.config), user.mfa, user.attributes) or _risk_asks(req, user)
    if needed is None:
        signed_in(req, user)
        return granted(req, user, sign_in)
    return ask(req, user, sign_in, needed.challenge, needed.choices)


def _risk_asks(req: AuthRequest, user: User) -> mfa.SecondFactor | None:
    """The second factor this sign-in's account-takeover risk asks for (operations.auth_events): MFA_REQUIRED
    refuses the sign-in when the user has no factor possible, MFA_IF_CONFIGURED then lets it through."""
    action = req.ctx.request.get(risk.ACTION_KEY)
    if action not in risk.MFA_ACTIONS:
        return None
    needed = mfa.risk_second_factor(mfa.PoolMfa.of(req.pool.config), user.mfa, user.attributes)
    if needed is None and action == "MFA_REQUIRED":
        raise NotAuthorizedException(risk.BLOCKED)
    return needed


def device_session(device_key: str) -> str:
    """Where a DEVICE_SRP_AUTH challenge waits: under its device key (pycognito answers it without a Session)."""
    return hash_token(f"{DEVICE_SRP_AUTH}:{device_key}")


def ask(req: AuthRequest, user: User, sign_in: SignIn, name: str, choices: tuple[str, ...]) -> Outcome:
    """The challenge ``name`` for this sign-in (a code to send comes back as ``Outcome.code``)."""
    parameters = {"USER_ID_FOR_SRP": user.username}
    if name in (mfa.SMS, mfa.EMAIL):
        return Outcome(code=PendingCode(name, user, sign_in))
    if name == "MFA_SETUP":
        parameters["MFAS_CAN_SETUP"] = json.dumps(list(choices))
    elif name == "SELECT_MFA_TYPE":
        parameters["MFAS_CAN_CHOOSE"] = json.dumps(list(choices))
    elif name == mfa.TOTP:
        friendly = (user.mfa.get(mfa.TOTP) or {}).get("name")
        if friendly:
            parameters["FRIENDLY_DEVICE_NAME"] = str(friendly)
    state = {**sign_in.state(), "choices": list(choices)}
    return challenge(req, name, parameters, state)


def granted(req: AuthRequest, user: User, sign_in: SignIn) -> Outcome:
    """Every factor is proven: tokens, and a new device to remember when the sign-in came from none known."""
    new_device = devices.tracks_devices(req.pool.config) and sign_in.device_key is None
    return Outcome(
        grant=issue.Grant(user, sign_in.source, sign_in.auth_time, device_key=sign_in.device_key, new_device=new_device)
    )


@dataclass(frozen=True)
class PendingCode:
    """An SMS_MFA or EMAIL_OTP challenge whose code is still to be sent (auth.mfa_codes, after the transaction)."""

    factor: str
    user: User
    sign_in: SignIn
