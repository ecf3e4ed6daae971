"""Keeping sign-in aliases unique: claiming them for a user, migrating them when forced."""

from __future__ import annotations

from typing import NamedTuple

from userpools.domain.attributes import alias_keys
from userpools.domain.errors import AliasExistsException, UsernameExistsException
from userpools.domain.pools import Pool
from userpools.domain.users import User
from userpools.storage.unit import Tx


class Move(NamedTuple):
    """An alias to take from the user that holds it (ForceAliasCreation)."""

    kind: str
    value: str
    owner_id: int


def wanted(pool: Pool, user: User) -> dict[str, str]:
    return alias_keys(
        user.attributes,
        alias_attributes=pool.alias_attributes,
        username_attributes=pool.username_attributes,
        case_sensitive=pool.case_sensitive,
    )


def clear_conflicts(tx: Tx, pool: Pool, user: User, *, force: bool, creating: bool) -> dict[str, str]:
    """Check every alias the user is about to hold; move it from its owner when forced.

    Forcing only applies to a verified email or phone number, as in Cognito; the previous owner loses
    the alias and its ``*_verified`` flag. Returns the aliases the user should hold.
    """
    keys, moves = planned(tx, pool, user, force=force, creating=creating)
    move(tx, pool, user, moves)
    return keys


def planned(tx: Tx, pool: Pool, user: User, *, force: bool, creating: bool) -> tuple[dict[str, str], list[Move]]:
    """The aliases the user should hold, and those to take from their owners: reads only, and raises for an
    alias another user holds that is not to be moved (see :func:`clear_conflicts`)."""
    keys = wanted(pool, user)
    if force:  # in one order, so two creates forcing the same two aliases cannot deadlock
        for kind, value in sorted(keys.items()):
            if kind in ("email", "phone_number") and user.verified(kind):
                tx.users.lock_alias(pool.id, kind, value)
    moves = []
    for kind, value in keys.items():
        owner_id = tx.users.alias_owner(pool.id, kind, value)
        if owner_id is None or owner_id == user.id:
            continue
        if force and kind in ("email", "phone_number") and user.verified(kind):
            moves.append(Move(kind, value, owner_id))
            continue
        message = f"An account with the given {kind} already exists."
        if creating and kind in pool.username_attributes:
            raise UsernameExistsException(message)
        raise AliasExistsException(message)
    return keys, moves


def move(tx: Tx, pool: Pool, user: User, moves: list[Move]) -> None:
    """Take each planned alias from its owner, who loses its ``*_verified`` flag with it."""
    for kind, value, owner_id in moves:
        owner = tx.users.get_by_id(owner_id)
        assert owner is not None
        tx.users.remove_alias(pool.id, kind, value, owner_id)
        if owner.attributes.get(f"{kind}_verified") == "true":
            owner.attributes[f"{kind}_verified"] = "false"
        owner.modified = user.modified
        tx.users.update(owner)
