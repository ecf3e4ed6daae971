"""Session tracking: AdminListUserSessions, ListUserSessions, AdminRevokeUserSession, RevokeUserSession,
Get/SetUserPoolSessionConfiguration, Get/SetUserPoolClientSessionConfiguration.

Off by default (UserSessionTracking DISABLED, MaxPerUser 20). When on, each sign-in that issues a refresh
token opens a TOKEN session; refreshes touch it and rotated-in refresh tokens join it; a managed login
cookie is an SSO session. A sign-in past MaxPerUser first ends the user's least recently used token
session. Revoking a session revokes its refresh tokens (so the access tokens issued with them) and ends
its cookie. The hooks that open and touch sessions are in steps/session_tracking.py.
"""

from __future__ import annotations

from typing import Any

from userpools.domain.errors import (
    FeatureUnavailableInTierException,
    OperationNotEnabledException,
    ResourceNotFoundException,
)
from userpools.domain.pools import Pool
from userpools.operations.auth.issue import authorize
from userpools.operations.clients import load_client
from userpools.operations.registry import operation
from userpools.steps import pagination
from userpools.steps.common import load_pool, load_user
from userpools.steps.context import Context
from userpools.steps.session_tracking import NOT_ENABLED, config, sso_validity_minutes
from userpools.storage.unit import Tx
from userpools.storage.user_sessions import SessionConfig, TrackedSession

PAGE = 125


def _describe(session: TrackedSession, current: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "SessionId": session.id,
        "SessionType": session.kind,
        "CreateDate": session.created,
        "LastActiveDate": session.last_active,
        "DeviceType": session.device or "unknown",
        "IsCurrentSession": session.id == current,
    }
    if session.client_id:
        out["ClientId"] = session.client_id
    if session.ip:
        out["LastIPAddress"] = session.ip
    if session.origin_session_id:
        out["OriginSessionId"] = session.origin_session_id
    return out


def _tracking(tx: Tx, pool: Pool) -> None:
    if not config(tx, pool.id).tracking:
        raise OperationNotEnabledException(NOT_ENABLED)


def _page(ctx: Context, sessions: list[TrackedSession], token: str | None, current: str | None) -> dict[str, Any]:
    page = pagination.request(ctx, token, PAGE)
    ordered = sorted(sessions, key=lambda s: (s.created, s.id))
    if page.after is not None:
        ordered = _after(ordered, str(page.after))
    shown, following = pagination.split(ctx, page, ordered, lambda s: s.id)
    result: dict[str, Any] = {"Sessions": [_describe(s, current) for s in shown]}
    if following:
        result["NextToken"] = following
    return result


def _after(ordered: list[TrackedSession], session_id: str) -> list[TrackedSession]:
    ids = [s.id for s in ordered]
    return ordered[ids.index(session_id) + 1 :] if session_id in ids else ordered


def _revoke(tx: Tx, user_id: int, session_id: str, linked: bool) -> None:
    session = tx.user_sessions.get(session_id)
    if session is None or session.user_id != user_id:
        raise ResourceNotFoundException("Session not found.")
    related: list[TrackedSession] = []
    if linked and session.kind == "SSO":
        related = tx.user_sessions.linked_to(session.id)
    elif linked and session.origin_session_id:
        origin = tx.user_sessions.get(session.origin_session_id)
        related = [origin] if origin else []
    for doomed in [session, *related]:
        tx.user_sessions.end(doomed)


@operation("AdminListUserSessions")
def admin_list_user_sessions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        _tracking(tx, pool)
        user = load_user(tx, pool, params["Username"])
        assert user.id is not None
        sessions = tx.user_sessions.live(user.id, ctx.clock.now())
    return _page(ctx, sessions, params.get("NextToken"), None)


@operation("ListUserSessions")
def list_user_sessions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        caller = authorize(ctx, tx, params["AccessToken"])
        _tracking(tx, caller.pool)
        assert caller.user.id is not None
        sessions = tx.user_sessions.live(caller.user.id, ctx.clock.now())
        current = tx.user_sessions.of_token(str(caller.claims.get("origin_jti", "")))
    return _page(ctx, sessions, params.get("NextToken"), current)


@operation("AdminRevokeUserSession")
def admin_revoke_user_session(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        _tracking(tx, pool)
        user = load_user(tx, pool, params["Username"])
        assert user.id is not None
        _revoke(tx, user.id, params["SessionId"], params.get("RevokeAssociatedSessions") == "LINKED")
    return {}


@operation("RevokeUserSession")
def revoke_user_session(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        caller = authorize(ctx, tx, params["AccessToken"])
        _tracking(tx, caller.pool)
        assert caller.user.id is not None
        _revoke(tx, caller.user.id, params["SessionId"], params.get("RevokeAssociatedSessions") == "LINKED")
    return {}


def _pool_config(pool_id: str, settings: SessionConfig) -> dict[str, Any]:
    return {
        "UserPoolId": pool_id,
        "UserSessionTracking": "ENABLED" if settings.tracking else "DISABLED",
        "TokenSession": {"MaxPerUser": settings.max_per_user},
    }


def _not_lite(pool: Pool) -> None:
    if pool.config.get("UserPoolTier") == "LITE":
        raise FeatureUnavailableInTierException("Session management is not available in the LITE tier.")


@operation("GetUserPoolSessionConfiguration")
def get_user_pool_session_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        return _pool_config(pool.id, config(tx, pool.id))


@operation("SetUserPoolSessionConfiguration")
def set_user_pool_session_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    settings = SessionConfig(params["UserSessionTracking"] == "ENABLED", int(params["TokenSession"]["MaxPerUser"]))
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        _not_lite(pool)
        tx.session_configs.put(pool.id, settings)
    return _pool_config(pool.id, settings)


def _client_config(pool_id: str, client_id: str, minutes: int) -> dict[str, Any]:
    return {"UserPoolId": pool_id, "ClientId": client_id, "SSOSession": {"MaxValidityMinutes": minutes}}


@operation("GetUserPoolClientSessionConfiguration")
def get_user_pool_client_session_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        client = load_client(ctx, tx, params["ClientId"], pool.id)
        return _client_config(pool.id, client.id, sso_validity_minutes(tx, client.id))


@operation("SetUserPoolClientSessionConfiguration")
def set_user_pool_client_session_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    minutes = int(params["SSOSession"]["MaxValidityMinutes"])
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        _not_lite(pool)
        client = load_client(ctx, tx, params["ClientId"], pool.id)
        _tracking(tx, pool)
        tx.session_configs.put_client_validity(client.id, minutes)
    return _client_config(pool.id, client.id, minutes)
