"""Managed login sessions: a cookie per domain whose value is stored only as its SHA-256 hash, so a
session survives restarts and is shared by every instance. One hour, as Cognito's managed login."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from userpools.domain import tokens
from userpools.domain.users import User
from userpools.steps import session_tracking
from userpools.steps.context import Context
from userpools.storage.oauth import LoginSession
from userpools.web.oauth.site import Site

COOKIE = "userpools_session"
VALIDITY = timedelta(hours=1)


def start(
    context: Context, site: Site, user: User, auth_time: datetime, response: Response, client_id: str | None = None
) -> str:
    """Store a new session for ``user`` and set its cookie on ``response`` (an SSO session, when tracked); the
    cookie's value."""
    assert user.id is not None
    value = secrets.token_urlsafe(32)
    now = context.clock.now()
    with context.store.transaction() as tx:
        tx.oauth.add_session(LoginSession(tokens.hash_token(value), site.pool.id, user.id, auth_time, now + VALIDITY))
        if client_id is not None:
            session_tracking.sso_opened(context, tx, site.pool.id, client_id, user.id, tokens.hash_token(value))
    response.set_cookie(
        COOKIE,
        value,
        max_age=int(VALIDITY.total_seconds()),
        path=site.base or "/",
        httponly=True,
        secure=site.secure,
        samesite="lax",
    )
    return value


def current(
    context: Context, site: Site, request: Request, client_id: str | None = None
) -> tuple[User, datetime] | None:
    """The signed-in user of this domain's session cookie, if the session is live and the user enabled (and,
    with session tracking on, ``client_id`` may still reuse it: its SSOSession MaxValidityMinutes)."""
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    with context.store.transaction(write=False) as tx:
        session = tx.oauth.login_session(tokens.hash_token(value), context.clock.now())
        if session is None or session.pool_id != site.pool.id:
            return None
        if client_id is not None and not session_tracking.sso_reusable(
            tx, site.pool.id, client_id, session.auth_time, context.clock.now()
        ):
            return None
        user = tx.users.get_by_id(session.user_id)
    if user is None or not user.enabled:
        return None
    return user, session.auth_time


def end(context: Context, site: Site, request: Request, response: Response) -> None:
    value = request.cookies.get(COOKIE)
    if value:
        with context.store.transaction() as tx:
            tx.oauth.end_session(tokens.hash_token(value))
    response.delete_cookie(COOKIE, path=site.base or "/", httponly=True, secure=site.secure, samesite="lax")
