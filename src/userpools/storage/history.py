"""The change history point-in-time recovery reads: each user, group and membership as it was before a change.

The user and group repositories call the ``*_changing`` functions here inside the transaction that writes,
so the history is exactly as durable as the change, and operations never see it. A change costs one
``INSERT ... SELECT`` that copies the row about to change inside the database (no row crosses to Python);
creating a user or a group costs nothing, since its ``created`` says it did not exist at an earlier moment.
The state of an entity at a moment T is then the *first* image recorded after T, or, if there is none, the
entity as it is now (or absent, if it was created after T).

The same functions refuse writes to user data while a recovery pauses them (:data:`PAUSED`), which
Cognito documents for every write of users, groups and memberships, sign-in steps that write included.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, insert, select, true

from userpools.domain.errors import OperationNotEnabledException
from userpools.storage.pools import PoolRepository
from userpools.storage.schema import (
    Timestamp,
    groups,
    history_groups,
    history_members,
    history_users,
    memberships,
    users,
)
from userpools.storage.statements import Query, Session

# The pool configuration's key for a recovery that pauses writes: {"RestoreId": ..., "Until": ISO time}.
PAUSED = "PointInTimeRecovery"
# How long the history is kept: the longest window Cognito recovers (the Plus feature plan's 14 days).
RETENTION = timedelta(days=14)
# Every this many history rows a process writes, it forgets its pool's rows older than RETENTION.
PRUNE_EVERY = 1000

_USER_COLUMNS = [c.name for c in history_users.c if c.name not in ("seq", "pool_id", "at", "user_id")]
_GROUP_COLUMNS = [c.name for c in history_groups.c if c.name not in ("seq", "pool_id", "at")]
_AT = bindparam("at", type_=Timestamp())

_COPY_USER = Query(
    insert(history_users)
    .from_select(
        ["pool_id", "at", "user_id", *_USER_COLUMNS],
        select(users.c.pool_id, _AT, users.c.id, *(users.c[c] for c in _USER_COLUMNS)).where(
            users.c.id == bindparam("user_id")
        ),
    )
    .returning(history_users.c.pool_id)
)
_COPY_USER_MEMBERSHIPS = Query(
    insert(history_members).from_select(
        ["pool_id", "at", "group_name", "user_id", "present"],
        select(memberships.c.pool_id, _AT, memberships.c.group_name, memberships.c.user_id, true()).where(
            memberships.c.user_id == bindparam("user_id")
        ),
    )
)
_COPY_GROUP = Query(
    insert(history_groups).from_select(
        ["pool_id", "at", *_GROUP_COLUMNS],
        select(groups.c.pool_id, _AT, *(groups.c[c] for c in _GROUP_COLUMNS)).where(
            groups.c.pool_id == bindparam("pool_id"), groups.c.name == bindparam("name")
        ),
    )
)
_COPY_GROUP_MEMBERSHIPS = Query(
    insert(history_members).from_select(
        ["pool_id", "at", "group_name", "user_id", "present"],
        select(memberships.c.pool_id, _AT, memberships.c.group_name, memberships.c.user_id, true()).where(
            memberships.c.pool_id == bindparam("pool_id"), memberships.c.group_name == bindparam("name")
        ),
    )
)
_MEMBERSHIP = Query(
    insert(history_members).values(
        pool_id=bindparam("pool_id"),
        at=_AT,
        group_name=bindparam("name"),
        user_id=bindparam("user_id"),
        present=bindparam("present"),
    )
)

_written = 0  # history rows this process wrote since it last pruned


def check_writable(session: Session, pool_id: str) -> None:
    """Refuse a write to the pool's users, groups or memberships while a recovery pauses them."""
    pools = getattr(session, "pools", None)  # the transaction's (Tx.pools), which holds the pool already read
    pool = (pools if isinstance(pools, PoolRepository) else PoolRepository(session)).get(pool_id)
    paused = pool.config.get(PAUSED) if pool is not None else None
    if paused and session.clock.now() < datetime.fromisoformat(paused["Until"]):
        raise OperationNotEnabledException(
            "Write operations are paused while a point-in-time recovery of the user pool is in progress."
        )


def _wrote(session: Session, pool_id: str, rows: int = 1) -> None:
    global _written
    _written += rows
    if _written >= PRUNE_EVERY:
        _written = 0
        prune(session, pool_id, session.clock.now() - RETENTION)


def user_changing(session: Session, pool_id: str, user_id: int) -> None:
    """Before a user's row is updated: keep it as it is."""
    check_writable(session, pool_id)
    _COPY_USER.run(session, at=session.clock.now(), user_id=user_id)
    _wrote(session, pool_id)


def user_deleting(session: Session, user_id: int) -> None:
    """Before a user's row is deleted: keep it and its memberships (which go with it)."""
    now = session.clock.now()
    row = _COPY_USER.first(session, at=now, user_id=user_id)
    if row is None:
        return
    check_writable(session, row.pool_id)
    _COPY_USER_MEMBERSHIPS.run(session, at=now, user_id=user_id)
    _wrote(session, row.pool_id)


def group_changing(session: Session, pool_id: str, name: str, *, deleting: bool = False) -> None:
    """Before a group's row is updated or deleted: keep it (and, deleting, its memberships)."""
    check_writable(session, pool_id)
    now = session.clock.now()
    _COPY_GROUP.run(session, at=now, pool_id=pool_id, name=name)
    if deleting:
        _COPY_GROUP_MEMBERSHIPS.run(session, at=now, pool_id=pool_id, name=name)
    _wrote(session, pool_id)


def membership_changed(session: Session, pool_id: str, name: str, user_id: int, *, present: bool) -> None:
    """A membership was added (``present`` False: it did not exist before) or removed (True)."""
    _MEMBERSHIP.run(session, pool_id=pool_id, at=session.clock.now(), name=name, user_id=user_id, present=present)
    _wrote(session, pool_id)


def prune(session: Session, pool_id: str, before: datetime) -> None:
    """Forget the pool's images older than ``before`` (no recovery may reach past them)."""
    for table in (history_users, history_groups, history_members):
        session.connection.execute(delete(table).where(table.c.pool_id == pool_id, table.c.at < before))
