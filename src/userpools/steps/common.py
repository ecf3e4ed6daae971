"""Lookups every operation group needs, with Cognito's not-found errors."""

from __future__ import annotations

from userpools.domain.errors import ResourceNotFoundException, UserNotFoundException
from userpools.domain.pools import Pool
from userpools.domain.users import User
from userpools.storage.unit import Tx


def load_pool(tx: Tx, pool_id: str) -> Pool:
    pool = tx.pools.get(pool_id)
    if pool is None:
        raise ResourceNotFoundException(f"User pool {pool_id} does not exist.")
    return pool


def find_user(tx: Tx, pool: Pool, username: str) -> User | None:
    """The user a Username names: its username, or in pools with sign-in aliases, an alias or its sub."""
    user = tx.users.get(pool.id, pool.username_key(username))
    if user is not None:
        return user
    for kind in pool.username_attributes or pool.alias_attributes:
        value = username if pool.case_sensitive and kind != "email" else username.lower()
        user = tx.users.get_by_alias(pool.id, kind, value)
        if user is not None:
            return user
    if pool.username_attributes:
        return tx.users.get_by_sub(pool.id, username)
    return None


def load_user(tx: Tx, pool: Pool, username: str) -> User:
    user = find_user(tx, pool, username)
    if user is None:
        raise UserNotFoundException("User does not exist.")
    return user
