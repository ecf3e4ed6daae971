"""Auth events and threat protection: AdminListUserAuthEvents, AdminUpdateAuthEventFeedback,
UpdateAuthEventFeedback, and the one hook each sign-in, sign-up, password change and password reset runs in.

In a pool whose UserPoolAddOns AdvancedSecurityMode is AUDIT or ENFORCED, every such request of a known user
is recorded (type, response, risk, challenges, IP and device from UserContextData / ContextData or the HTTP
request). ENFORCED also applies the risk configuration (operations/risk.py): a password in the shipped breach
list is refused where CompromisedCredentialsRiskConfiguration says BLOCK, and a sign-in whose account-takeover
risk (domain/risk.py's rules) has the action BLOCK is refused; an action with Notify emails the user (the
outbox) with the event's FeedbackToken. With threat protection off, the hook costs one cached look-up.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

import jwt

from userpools.domain import context_data, risk, sealing
from userpools.domain.errors import (
    InvalidPasswordException,
    NotAuthorizedException,
    ResourceNotFoundException,
    UserPoolAddOnNotEnabledException,
)
from userpools.domain.messages import Rendered
from userpools.domain.pools import Pool
from userpools.domain.users import User
from userpools.errors import ServiceError
from userpools.operations.registry import Handler, operation
from userpools.steps import messaging, pagination
from userpools.steps.common import find_user, load_pool, load_user
from userpools.steps.context import Context
from userpools.storage.auth_events import AuthEventRecord
from userpools.storage.unit import Tx

COMPROMISED = "Password compromised"
NOT_ENABLED = "Threat protection (AdvancedSecurityMode AUDIT or ENFORCED) is not enabled for this user pool."
_MODE_SECONDS = 2.0  # how long a pool's AdvancedSecurityMode is cached
_MODES: dict[str, tuple[float, str]] = {}
_FILTER = {"SignIn": "SIGN_IN", "SignUp": "SIGN_UP", "PasswordChange": "PASSWORD_CHANGE"}
_FEEDBACK_SEAL = "auth-event-feedback"


def mode(pool: Pool) -> str:
    return str((pool.config.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode") or "OFF")


def effective_config(tx: Tx, pool_id: str, client_id: str | None) -> dict[str, Any]:
    found = tx.risk_configs.get(pool_id, client_id) if client_id else None
    found = found or tx.risk_configs.get(pool_id, "ALL")
    return found[0] if found else {}


def _key(params: dict[str, Any]) -> str | None:
    if params.get("UserPoolId"):
        return str(params["UserPoolId"])
    if params.get("ClientId"):
        return "client:" + str(params["ClientId"])
    if params.get("AccessToken"):
        try:
            issuer = jwt.decode(str(params["AccessToken"]), options={"verify_signature": False}).get("iss", "")
        except jwt.PyJWTError:
            return None
        return str(issuer).rsplit("/", 1)[-1] or None
    return None


def _pool(tx: Tx, key: str) -> Pool | None:
    if key.startswith("client:"):
        row = tx.clients.get(key[len("client:") :])
        return tx.pools.get(row.pool_id) if row else None
    return tx.pools.get(key)


def _protected(ctx: Context, params: dict[str, Any]) -> bool:
    """Whether the request's pool has threat protection on (cached a moment per pool or client)."""
    key = _key(params)
    if key is None:
        return False
    cached = _MODES.get(key)
    now = time.monotonic()
    if cached is None or cached[0] < now:
        with ctx.store.transaction(write=False) as tx:
            pool = _pool(tx, key)
        cached = (now + _MODE_SECONDS, mode(pool) if pool else "OFF")
        _MODES[key] = cached
    return cached[1] != "OFF"


def _subject(ctx: Context, tx: Tx, params: dict[str, Any], username: str | None) -> tuple[Pool, User | None]:
    key = _key(params)
    pool = _pool(tx, key) if key else None
    if pool is None:
        raise ResourceNotFoundException("User pool does not exist.")
    if username is None and params.get("AccessToken"):
        try:
            sub = jwt.decode(str(params["AccessToken"]), options={"verify_signature": False}).get("sub")
        except jwt.PyJWTError:
            return pool, None
        return pool, tx.users.get_by_sub(pool.id, str(sub)) if sub else None
    return pool, find_user(tx, pool, username) if username else None


def guarded(
    ctx: Context,
    params: dict[str, Any],
    kind: str,
    username: str | None,
    password: str | None,
    run: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    """``run`` the request as an auth event of ``kind``: risk checked before it, the event recorded after."""
    if not _protected(ctx, params):
        return run()
    origin = context_data.origin(params.get("UserContextData") or params.get("ContextData"), ctx.request)
    with ctx.store.transaction(write=False) as tx:
        pool, user = _subject(ctx, tx, params, username)
        config = effective_config(tx, pool.id, params.get("ClientId"))
        history = tx.auth_events.history(user.id) if user is not None and user.id is not None else []
    enforced = mode(pool) == "ENFORCED"
    filter_name = _FILTER.get(kind)
    leaked = filter_name is not None and risk.compromised(password)
    leaked_action = risk.compromised_action(config, filter_name) if leaked and filter_name else "NO_ACTION"
    assessed = risk.assess(config, origin.ip, origin.device, history) if kind == "SignIn" else risk.Risk("NoRisk", None)
    password_step = [{"ChallengeName": "Password", "ChallengeResponse": "Failure"}] if password else []

    def record(response: str, decision: str, challenges: list[dict[str, str]], target: User | None) -> None:
        if target is None or target.id is None:
            return
        with ctx.store.transaction() as tx:
            event = AuthEventRecord(
                id=str(uuid.uuid4()),
                pool_id=pool.id,
                user_id=target.id,
                created=ctx.clock.now(),
                kind=kind,
                response=response,
                risk_decision=decision,
                risk_level=assessed.level,
                compromised=leaked,
                challenges=challenges,
                ip=origin.ip,
                device=origin.device,
            )
            if assessed.notify and target.attributes.get("email"):
                token = secrets.token_urlsafe(24)
                event.feedback_token = sealing.digest(ctx.keyring, _FEEDBACK_SEAL, token)
                _notify(ctx, tx, pool, target, assessed, event, token)
            tx.auth_events.add(event)

    if enforced and (assessed.decision == "Block" or assessed.action == "BLOCK"):
        record("Fail", "Block", [], user)
        raise NotAuthorizedException(risk.BLOCKED)
    if enforced and leaked_action == "BLOCK":
        record("Fail", "Block", password_step, user)
        if kind == "SignIn":
            raise NotAuthorizedException(COMPROMISED)
        raise InvalidPasswordException(COMPROMISED)
    if enforced and assessed.action in risk.MFA_ACTIONS:
        ctx.request[risk.ACTION_KEY] = assessed.action  # auth.steps asks for a second factor
    try:
        result = run()
    except ServiceError:
        record("Fail", assessed.decision, password_step, user)
        raise
    if user is None:  # a new user (SignUp): recorded once it exists
        with ctx.store.transaction(write=False) as tx:
            _, user = _subject(ctx, tx, params, username)
    response = "InProgress" if kind == "SignIn" and "AuthenticationResult" not in result else "Pass"
    success = [{"ChallengeName": "Password", "ChallengeResponse": "Success"}] if password else []
    record(response, assessed.decision, success, user)
    return result


def _notify(
    ctx: Context, tx: Tx, pool: Pool, user: User, assessed: risk.Risk, event: AuthEventRecord, token: str
) -> None:
    """The account-takeover notification email, with the FeedbackToken (as its code) to answer it with."""
    settings = (effective_config(tx, pool.id, None).get("AccountTakeoverRiskConfiguration") or {}).get(
        "NotifyConfiguration"
    ) or {}
    template = settings.get("BlockEmail" if assessed.action == "BLOCK" else "NoActionEmail") or {}
    subject = str(template.get("Subject") or "Unusual sign-in activity")
    body = str(template.get("TextBody") or f"We noticed an unusual sign-in to your account (event {event.id}).")
    rendered = Rendered("EMAIL", subject, body)
    messaging.record(ctx, tx, user, "risk-notification", rendered, user.attributes["email"], token)


def recorded(kind: str, password_param: str | None = None) -> Callable[[Handler], Handler]:
    """An operation run as an auth event of ``kind`` (SignUp, ForgotPassword, PasswordChange)."""

    def wrap(handler: Handler) -> Handler:
        @wraps(handler)
        def run(ctx: Context, params: dict[str, Any]) -> dict[str, Any] | None:
            password = str(params.get(password_param) or "") if password_param else None
            return guarded(ctx, params, kind, params.get("Username"), password, lambda: handler(ctx, params) or {})

        return run

    return wrap


def _listed(event: AuthEventRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "EventId": event.id,
        "EventType": event.kind,
        "CreationDate": event.created,
        "EventResponse": event.response,
        "EventRisk": {"RiskDecision": event.risk_decision, "CompromisedCredentialsDetected": event.compromised},
        "ChallengeResponses": event.challenges,
        "EventContextData": {k: v for k, v in (("IpAddress", event.ip), ("DeviceName", event.device)) if v},
    }
    if event.risk_level:
        out["EventRisk"]["RiskLevel"] = event.risk_level
    if event.feedback_value:
        out["EventFeedback"] = {
            "FeedbackValue": event.feedback_value,
            "Provider": event.feedback_provider,
            "FeedbackDate": event.feedback_date,
        }
    return out


def _protected_pool(tx: Tx, pool_id: str) -> Pool:
    pool = load_pool(tx, pool_id)
    if mode(pool) == "OFF":
        raise UserPoolAddOnNotEnabledException(NOT_ENABLED)
    return pool


@operation("AdminListUserAuthEvents")
def admin_list_user_auth_events(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    page = pagination.request(ctx, params.get("NextToken"), int(params.get("MaxResults") or 60) or 60)
    before = pagination.moment_cursor(page.after)  # newest first: the rows before the cursor
    with ctx.store.transaction(write=False) as tx:
        pool = _protected_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
        assert user.id is not None
        events = tx.auth_events.of_user(user.id, before, page.fetch)
    shown, following = pagination.split(ctx, page, events, lambda e: pagination.moment_of(e.created, e.id))
    result: dict[str, Any] = {"AuthEvents": [_listed(e) for e in shown]}
    if following:
        result["NextToken"] = following
    return result


def _feedback(ctx: Context, params: dict[str, Any], provider: str, token: str | None) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = _protected_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
        event = tx.auth_events.get(params["EventId"])
        if event is None or event.user_id != user.id:
            raise ResourceNotFoundException("Auth event not found.")
        if token is not None and (
            event.feedback_token is None
            or not sealing.matches(ctx.keyring, _FEEDBACK_SEAL, event.feedback_token, token)
        ):
            raise NotAuthorizedException("Invalid feedback token.")
        tx.auth_events.set_feedback(event.id, params["FeedbackValue"], provider, ctx.clock.now())
    return {}


@operation("AdminUpdateAuthEventFeedback")
def admin_update_auth_event_feedback(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _feedback(ctx, params, "Admin", None)


@operation("UpdateAuthEventFeedback")
def update_auth_event_feedback(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _feedback(ctx, params, "User", str(params["FeedbackToken"]))
