"""Refresh-token rotation, as an app client's RefreshTokenRotation asks: GetTokensFromRefreshToken hands
out a new refresh token each time and rotates the one it was given out.

A rotated-out token still works for RetryGracePeriodSeconds (a client retrying a lost answer); each such
retry replaces the successor it was given before. Used after that (or at all, with no grace period) it
is taken as stolen: it and every token rotated in after it are revoked, with their access tokens.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from userpools.domain import tokens
from userpools.domain.clients import Client
from userpools.domain.errors import NotAuthorizedException
from userpools.steps import followup, session_tracking
from userpools.steps.context import Context
from userpools.storage.refresh_rotations import Rotation
from userpools.storage.sessions import StoredRefreshToken
from userpools.storage.unit import Tx

# A chain of rotations is followed this far when revoking it (each link is one token's lifetime of use).
_MAX_CHAIN = 10_000


def enabled(client: Client) -> bool:
    return (client.config.get("RefreshTokenRotation") or {}).get("Feature") == "ENABLED"


def grace(client: Client) -> timedelta:
    return timedelta(seconds=int((client.config.get("RefreshTokenRotation") or {}).get("RetryGracePeriodSeconds") or 0))


def _revoke_chain(tx: Tx, token_hash: str) -> None:
    """Revoke the token and each successor it was rotated into."""
    current: str | None = token_hash
    for _ in range(_MAX_CHAIN):
        if current is None:
            return
        tx.refresh_tokens.revoke(current)
        rotation = tx.refresh_rotations.get(current)
        current = rotation.successor_hash if rotation else None


def rotate(ctx: Context, tx: Tx, client: Client, row: StoredRefreshToken) -> tuple[str, str]:
    """A successor for the refresh token ``row`` (already checked live): its ``origin_jti`` (which the new
    access and ID tokens carry) and the new refresh token itself."""
    now = ctx.clock.now()
    token_hash = row.token_hash
    spent = tx.refresh_rotations.get(token_hash)
    if spent is not None:
        if not grace(client) or now > spent.rotated + grace(client):
            error = NotAuthorizedException("Refresh Token has been revoked")
            raise followup.attach(error, lambda later: _revoke_chain(later, token_hash))
        _revoke_chain(tx, spent.successor_hash)  # a retry: the successor handed out before is replaced
    successor = tokens.new_refresh_token()
    origin = str(uuid.uuid4())
    tx.refresh_tokens.add(
        token_hash=tokens.hash_token(successor),
        origin_jti=origin,
        pool_id=row.pool_id,
        client_id=row.client_id,
        user_id=row.user_id,
        auth_time=row.auth_time,
        expires=now + client.validity("RefreshToken"),
    )
    session_tracking.rotated(tx, row.origin_jti, origin)
    tx.refresh_rotations.put(token_hash, Rotation(spent.rotated if spent else now, tokens.hash_token(successor)))
    return origin, successor
