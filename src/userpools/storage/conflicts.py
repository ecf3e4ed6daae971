"""Which uniqueness rule a failed insert broke, and which failures are worth running the transaction again."""

from __future__ import annotations

import re

from sqlalchemy.exc import DBAPIError, IntegrityError

from userpools.storage.errors import Conflict, ConflictKind

_SQLITE = re.compile(r"UNIQUE constraint failed: (\w+)\.")
# serialization_failure, deadlock_detected, lock_not_available (PostgreSQL SQLSTATEs).
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


class ConcurrentChange(Exception):
    """A row this transaction read was changed by another one before this one could write it."""


def conflicting_table(error: IntegrityError) -> str | None:
    diag = getattr(error.orig, "diag", None)
    if diag is not None and getattr(diag, "table_name", None):
        return str(diag.table_name)
    match = _SQLITE.search(str(error.orig))
    return match.group(1) if match else None


def is_missing_reference(error: IntegrityError) -> bool:
    """A foreign key's row is gone (deleted by a concurrent transaction): PostgreSQL's 23503, SQLite's text."""
    return getattr(error.orig, "sqlstate", None) == "23503" or "FOREIGN KEY constraint failed" in str(error.orig)


_KINDS: dict[str, ConflictKind] = {
    "users": "username",
    "aliases": "alias",
    "memberships": "group_member",
    "resource_requests": "client_token",
}


def conflict_of(error: IntegrityError) -> Conflict:
    """The storage-level :class:`Conflict` an IntegrityError stands for (a missing row it referred to, or
    the uniqueness rule of the table it broke)."""
    if is_missing_reference(error):
        return Conflict("missing", conflicting_table(error) or "")
    table = conflicting_table(error)
    return Conflict(_KINDS.get(table or "", "unique"), table or "")


def is_transient(error: BaseException) -> bool:
    """A failure caused only by a concurrent transaction: running the whole transaction again may succeed."""
    if isinstance(error, ConcurrentChange):
        return True
    if not isinstance(error, DBAPIError) or isinstance(error, IntegrityError):
        return False
    if error.connection_invalidated:
        return True
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in _TRANSIENT_SQLSTATES:
        return True
    return "database is locked" in str(error.orig)
