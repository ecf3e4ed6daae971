"""GetUserAuthFactors, AdminGetUserAuthFactors: how a user can sign in with USER_AUTH, and its MFA settings."""

from __future__ import annotations

from typing import Any

from userpools.domain import mfa, sign_in_policy
from userpools.domain.errors import UserNotConfirmedException
from userpools.domain.pools import Pool
from userpools.domain.users import User, UserStatus
from userpools.operations.registry import operation
from userpools.operations.webauthn import signed_in_caller
from userpools.steps.common import load_pool, load_user
from userpools.steps.context import Context
from userpools.storage.unit import Tx


def _factors(tx: Tx, pool: Pool, user: User) -> dict[str, Any]:
    assert user.id is not None
    settings = mfa.user_fields(user.mfa)
    out: dict[str, Any] = {
        "Username": user.username,
        "ConfiguredUserAuthFactors": sign_in_policy.configured_factors(
            pool.config, user.attributes, user.credentials is not None, tx.webauthn.has_any(user.id)
        ),
    }
    for key in ("PreferredMfaSetting", "UserMFASettingList"):
        if key in settings:
            out[key] = settings[key]
    return out


@operation("GetUserAuthFactors")
def get_user_auth_factors(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        caller = signed_in_caller(ctx, tx, params["AccessToken"])
        if caller.user.status is UserStatus.UNCONFIRMED:
            raise UserNotConfirmedException("User is not confirmed.")
        return _factors(tx, caller.pool, caller.user)


@operation("AdminGetUserAuthFactors")
def admin_get_user_auth_factors(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
        return _factors(tx, pool, user)
