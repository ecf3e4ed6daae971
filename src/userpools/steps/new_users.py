"""Storing a new user (AdminCreateUser, SignUp, the UserMigration trigger): its username claimed, then its
aliases, and Cognito's answer when either is taken. Cognito words a taken username differently by operation,
so each passes its own :class:`Taken`."""

from __future__ import annotations

from typing import NamedTuple

from userpools.domain.errors import AliasExistsException, UsernameExistsException
from userpools.domain.pools import Pool
from userpools.domain.users import User
from userpools.steps import aliases
from userpools.storage.errors import Conflict
from userpools.storage.unit import Tx


class Taken(NamedTuple):
    """An operation's messages for a new user's taken username or alias."""

    username: str  # UsernameExistsException's
    alias: str | None = None  # AliasExistsException's for an alias race lost; None: answered as a taken username


def insert(tx: Tx, pool: Pool, user: User, *, force: bool, taken: Taken) -> None:
    """The user, then its aliases; a taken username is reported before a taken alias, as by Cognito.
    ``force`` (ForceAliasCreation): a verified email or phone number another user holds moves to this one.

    Every check comes before the first row written, so a refused insert has written nothing (see
    ``Context.writing``)."""
    key = pool.username_key(user.username)
    try:
        keys, moves = aliases.planned(tx, pool, user, force=force, creating=True)
    except (AliasExistsException, UsernameExistsException):
        if tx.users.get(pool.id, key) is not None:
            raise UsernameExistsException(taken.username) from None
        raise
    if not tx.users.claim(user, key):
        raise UsernameExistsException(taken.username)
    aliases.move(tx, pool, user, moves)
    tx.users.set_aliases(user, keys, new=True)


def conflict_error(error: Conflict, taken: Taken) -> Exception:
    """Cognito's error for a uniqueness race the checks lost to a concurrent request (storage's Conflict)."""
    if error.kind == "alias" and taken.alias is not None:
        return AliasExistsException(taken.alias)
    return UsernameExistsException(taken.username)
