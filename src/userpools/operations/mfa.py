"""MFA settings: SetUserPoolMfaConfig, GetUserPoolMfaConfig (a pool's), SetUserMFAPreference,
AdminSetUserMFAPreference, SetUserSettings, AdminSetUserSettings (a user's). The rules are in domain/mfa.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from userpools.domain import mfa
from userpools.domain.users import User
from userpools.operations.auth.issue import authorize
from userpools.operations.registry import operation
from userpools.steps.common import load_pool, load_user
from userpools.steps.context import Context
from userpools.storage.unit import Tx


@operation("SetUserPoolMfaConfig")
def set_user_pool_mfa_config(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        pool.config = mfa.set_pool_mfa(pool.config, params)
        pool.modified = ctx.clock.now()
        tx.pools.update(pool)
    return mfa.pool_mfa_response(pool.config)


@operation("GetUserPoolMfaConfig")
def get_user_pool_mfa_config(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
    return mfa.pool_mfa_response(pool.config)


def _change(ctx: Context, tx: Tx, user: User, change: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    user.mfa = change(user.mfa)
    user.modified = ctx.clock.now()
    tx.users.update(user)


def _signed_in(ctx: Context, params: dict[str, Any], change: Callable[[User], Callable[..., Any]]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        user = authorize(ctx, tx, params["AccessToken"]).user
        _change(ctx, tx, user, change(user))
    return {}


def _admin(ctx: Context, params: dict[str, Any], change: Callable[[User], Callable[..., Any]]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
        _change(ctx, tx, user, change(user))
    return {}


def _preference(params: dict[str, Any]) -> Callable[[User], Callable[..., Any]]:
    return lambda user: lambda settings: mfa.set_preference(settings, user.attributes, params)


def _options(params: dict[str, Any]) -> Callable[[User], Callable[..., Any]]:
    return lambda user: lambda settings: mfa.set_legacy_options(settings, user.attributes, params["MFAOptions"])


@operation("SetUserMFAPreference")
def set_user_mfa_preference(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _signed_in(ctx, params, _preference(params))


@operation("AdminSetUserMFAPreference")
def admin_set_user_mfa_preference(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _admin(ctx, params, _preference(params))


@operation("SetUserSettings")
def set_user_settings(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _signed_in(ctx, params, _options(params))


@operation("AdminSetUserSettings")
def admin_set_user_settings(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _admin(ctx, params, _options(params))
