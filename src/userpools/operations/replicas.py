"""Replicas of a user pool in other regions: CreateUserPoolReplica, ListUserPoolReplicas,
UpdateUserPoolReplica, DeleteUserPoolReplica, and the rules a pool follows in a replica's region."""

from __future__ import annotations

from userpools.domain.errors import OperationNotEnabledException
from userpools.domain.pools import Pool
from userpools.operations.context import Context
from userpools.storage.unit import Tx


def home_region(pool_id: str) -> str:
    """The primary region of a pool: its id's prefix (``us-east-1_AbC...``), as Cognito's ids are made."""
    return pool_id.split("_", 1)[0]


def require_primary(ctx: Context, tx: Tx, pool: Pool, what: str) -> None:
    """Refuse an operation only the pool's primary region serves."""
    if ctx.region != home_region(pool.id):
        raise OperationNotEnabledException(f"{what} is available only in the primary region of the user pool.")
