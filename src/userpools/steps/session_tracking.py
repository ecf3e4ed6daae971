"""Session tracking's hooks: one call each from where refresh tokens and managed login cookies are made
(auth/issue.py, auth/rotation.py, auth/flows.py, web/oauth/sessions.py). With tracking off (the default)
each costs one indexed read. See operations/sessions.py for the operations."""

from __future__ import annotations

from datetime import datetime, timedelta

from userpools.domain import context_data
from userpools.domain.sessions import MAX_DEVICE, new_session_id
from userpools.steps.context import Context
from userpools.storage.unit import Tx
from userpools.storage.user_sessions import SessionConfig, TrackedSession

DEFAULT = SessionConfig(tracking=False, max_per_user=20)
DEFAULT_SSO_MINUTES = 60
NOT_ENABLED = "Session tracking is not enabled for this user pool."
# Where an auth entry point leaves the request's UserContextData / ContextData for the hooks here.
CONTEXT_KEY = "context_data"


def config(tx: Tx, pool_id: str) -> SessionConfig:
    return tx.session_configs.get(pool_id) or DEFAULT


def _origin(ctx: Context) -> context_data.Origin:
    return context_data.origin(ctx.request.get(CONTEXT_KEY), ctx.request)


def opened(ctx: Context, tx: Tx, pool_id: str, client_id: str, user_id: int, origin_jti: str) -> None:
    """A sign-in issued the refresh token of ``origin_jti``: with tracking on, a new token session for it,
    after ending the user's least recently used ones over MaxPerUser."""
    settings = config(tx, pool_id)
    if not settings.tracking:
        return
    now = ctx.clock.now()
    live = tx.user_sessions.live(user_id, now, "TOKEN")
    for oldest in live[: max(0, len(live) - settings.max_per_user + 1)]:
        tx.user_sessions.end(oldest)
    where = _origin(ctx)
    session = TrackedSession(
        new_session_id("TOKEN"), pool_id, user_id, "TOKEN", client_id, now, now, where.device[:MAX_DEVICE], where.ip
    )
    tx.user_sessions.add(session)
    tx.user_sessions.link(origin_jti, session.id)


def rotated(tx: Tx, origin_jti: str, successor_origin: str) -> None:
    """Refresh-token rotation: the successor joins its predecessor's session."""
    session_id = tx.user_sessions.of_token(origin_jti)
    if session_id is not None:
        tx.user_sessions.link(successor_origin, session_id)


def touched(ctx: Context, tx: Tx, origin_jti: str) -> None:
    """A refresh: the session's LastActiveDate, address and device are this request's."""
    session_id = tx.user_sessions.of_token(origin_jti)
    if session_id is not None:
        where = _origin(ctx)
        tx.user_sessions.touch(session_id, ctx.clock.now(), where.ip, where.device[:MAX_DEVICE])


def sso_opened(ctx: Context, tx: Tx, pool_id: str, client_id: str, user_id: int, key_hash: str) -> None:
    """Managed login set a session cookie (stored as ``key_hash``): with tracking on, an SSO session."""
    if not config(tx, pool_id).tracking:
        return
    now = ctx.clock.now()
    where = _origin(ctx)
    tx.user_sessions.add(
        TrackedSession(
            new_session_id("SSO"),
            pool_id,
            user_id,
            "SSO",
            client_id,
            now,
            now,
            where.device[:MAX_DEVICE],
            where.ip,
            login_key_hash=key_hash,
        )
    )


def sso_validity_minutes(tx: Tx, client_id: str) -> int:
    """How long the client silently reuses an SSO session after its user's last fresh sign-in."""
    found = tx.session_configs.client_validity(client_id)
    return DEFAULT_SSO_MINUTES if found is None else found


def sso_reusable(tx: Tx, pool_id: str, client_id: str, auth_time: datetime, now: datetime) -> bool:
    """Whether the client may silently reuse an SSO session whose user last signed in at ``auth_time``
    (only enforced with tracking on: the client settings are dormant while it is off)."""
    if not config(tx, pool_id).tracking:
        return True
    return now < auth_time + timedelta(minutes=sso_validity_minutes(tx, client_id))
