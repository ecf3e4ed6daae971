"""Signing out: GlobalSignOut, AdminUserGlobalSignOut, RevokeToken. Revoking a refresh token revokes the
access and ID tokens issued with it (they share its origin_jti)."""

from __future__ import annotations

import hmac
from typing import Any

from userpools.domain import tokens
from userpools.domain.errors import (
    NotAuthorizedException,
    UnauthorizedException,
    UnsupportedOperationException,
    UnsupportedTokenTypeException,
)
from userpools.errors import ServiceError
from userpools.operations.auth.issue import authorize
from userpools.operations.clients import load_client
from userpools.operations.registry import operation
from userpools.steps.common import load_pool, load_user
from userpools.steps.context import Context


@operation("GlobalSignOut")
def global_sign_out(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        caller = authorize(ctx, tx, params["AccessToken"])
        assert caller.user.id is not None
        tx.refresh_tokens.revoke_user(caller.user.id)
    return {}


@operation("AdminUserGlobalSignOut")
def admin_user_global_sign_out(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
        assert user.id is not None
        tx.refresh_tokens.revoke_user(user.id)
    return {}


@operation("RevokeToken")
def revoke_token(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Revoke a refresh token (RFC 7009: an unknown token is not an error)."""
    with ctx.store.transaction() as tx:
        try:
            client = load_client(ctx, tx, params["ClientId"])
        except ServiceError:
            raise UnauthorizedException("Invalid client id.") from None
        if client.secret is not None:
            given = params.get("ClientSecret") or ""
            if not any(hmac.compare_digest(given.encode(), s.encode()) for s in client.secrets):  # bytes: any text
                raise UnauthorizedException("Invalid client secret.")
        if not client.revocation_enabled:
            raise UnsupportedOperationException("Token revocation is not enabled for this app client.")
        if params["Token"].count(".") == 2:
            raise UnsupportedTokenTypeException("Only refresh tokens can be revoked.")
        row = tx.refresh_tokens.get(tokens.hash_token(params["Token"]))
        if row is None:
            return {}
        if row.client_id != client.id:
            raise NotAuthorizedException("Invalid token for this client.")
        tx.refresh_tokens.revoke(row.token_hash)
    return {}
