"""Authenticator apps (TOTP): AssociateSoftwareToken and VerifySoftwareToken, for a signed-in user (an
access token) or for one signing in (the Session of an MFA_SETUP challenge).

The secret is sealed (steps/sealing.py) wherever it waits: on the user until it is verified, or in
the sign-in session's state. A verified token records the step its code belonged to, so that code (and
any earlier one) is not accepted again.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from userpools.domain import mfa, totp
from userpools.domain.errors import (
    EnableSoftwareTokenMFAException,
    InvalidParameterException,
    NotAuthorizedException,
    SoftwareTokenMFANotFoundException,
)
from userpools.domain.tokens import hash_token
from userpools.domain.users import User
from userpools.operations.auth.guards import new_session
from userpools.operations.auth.issue import authorize
from userpools.operations.auth.outcome import opened_state, sealed_state
from userpools.operations.clients import load_client
from userpools.operations.registry import operation
from userpools.steps import sealing
from userpools.steps.common import load_pool, load_user
from userpools.steps.context import Context
from userpools.storage.sessions import PendingSession
from userpools.storage.unit import Tx

MFA_SETUP = "MFA_SETUP"
INVALID_SESSION = "Invalid session for the user, session is expired."
MISMATCH = "Code mismatch and fail enable Software Token MFA"
NOT_ASSOCIATED = "User has not associated a software token."
PENDING = "pending_secret"  # the sealed secret waiting for its first code (user.mfa[TOTP], or session state)


def _take_setup_session(ctx: Context, tx: Tx, session: str) -> PendingSession:
    """The MFA setup waiting under ``session``, spent, its state unsealed."""
    row = tx.auth_sessions.take(hash_token(session), ctx.clock.now())
    if row is None or row.challenge != MFA_SETUP:
        raise NotAuthorizedException(INVALID_SESSION)
    return replace(row, state=opened_state(ctx, row.state))


def _next_session(ctx: Context, tx: Tx, row: PendingSession, state: dict[str, Any]) -> str:
    token, key = new_session()
    client = load_client(ctx, tx, row.client_id)
    expires = ctx.clock.now() + client.session_validity
    tx.auth_sessions.put(key, row.pool_id, client.id, MFA_SETUP, sealed_state(ctx, state), expires)
    return token


@operation("AssociateSoftwareToken")
def associate_software_token(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    secret = totp.new_secret()
    now = ctx.clock.now()
    with ctx.store.transaction() as tx:
        if params.get("AccessToken"):
            user = authorize(ctx, tx, params["AccessToken"]).user
            setting = dict(user.mfa.get(mfa.TOTP) or {})
            setting[PENDING] = sealing.seal(ctx, secret)
            user.mfa = {**user.mfa, mfa.TOTP: setting}
            user.modified = now
            tx.users.update(user)
            return {"SecretCode": secret}
        if not params.get("Session"):
            raise InvalidParameterException("Either AccessToken or Session must be provided.")
        row = _take_setup_session(ctx, tx, params["Session"])
        state = {**row.state, PENDING: sealing.seal(ctx, secret)}
        return {"SecretCode": secret, "Session": _next_session(ctx, tx, row, state)}


def _verify(ctx: Context, tx: Tx, user: User, sealed: str | None, code: str, name: str | None) -> None:
    """Check the first code of a new secret and make it the user's software token."""
    if not sealed:
        raise SoftwareTokenMFANotFoundException(NOT_ASSOCIATED)
    now = ctx.clock.now()
    step = totp.accepted_step(sealing.unseal(ctx, sealed), code, now, None)
    if step is None:
        raise EnableSoftwareTokenMFAException(MISMATCH)
    setting = dict(user.mfa.get(mfa.TOTP) or {})
    setting.pop(PENDING, None)
    setting.update(secret=sealed, last_step=step, enabled=True, preferred=bool(setting.get("preferred")))
    if name:
        setting["name"] = name
    user.mfa = {**user.mfa, mfa.TOTP: setting}
    user.modified = now
    tx.users.update(user)


@operation("VerifySoftwareToken")
def verify_software_token(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    code, name = params["UserCode"], params.get("FriendlyDeviceName")
    with ctx.store.transaction() as tx:
        if params.get("AccessToken"):
            user = authorize(ctx, tx, params["AccessToken"]).user
            _verify(ctx, tx, user, (user.mfa.get(mfa.TOTP) or {}).get(PENDING), code, name)
            return {"Status": "SUCCESS"}
        if not params.get("Session"):
            raise InvalidParameterException("Either AccessToken or Session must be provided.")
        row = _take_setup_session(ctx, tx, params["Session"])
        found = tx.users.get_by_id(int(row.state["user_id"]))
        if found is None:
            raise NotAuthorizedException(INVALID_SESSION)
        state = dict(row.state)
        _verify(ctx, tx, found, state.pop(PENDING, None), code, name)
        state["verified"] = True
        return {"Status": "SUCCESS", "Session": _next_session(ctx, tx, row, state)}


@operation("AdminDeleteSoftwareToken")
def admin_delete_software_token(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The user's authenticator forgotten (verified or pending); SOFTWARE_TOKEN_MFA is off until a new one."""
    with ctx.store.transaction() as tx:
        user = load_user(tx, load_pool(tx, params["UserPoolId"]), params["Username"])
        if mfa.TOTP in user.mfa:
            user.mfa = {k: v for k, v in user.mfa.items() if k != mfa.TOTP}
            user.modified = ctx.clock.now()
            tx.users.update(user)
    return {}
