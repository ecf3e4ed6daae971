"""Reading the change history (storage/history.py) for point-in-time recovery, and the recoveries themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from userpools.domain.groups import Group
from userpools.domain.users import User
from userpools.storage.groups import group_from_row
from userpools.storage.schema import groups, history_groups, history_members, history_users, pool_recoveries, users
from userpools.storage.statements import Repository
from userpools.storage.users import user_from_row


@dataclass
class UserImage:
    user: User  # its ``id`` the row's id then
    username_key: str


def _first_after(rows: list[Any], key: Any) -> dict[Any, Any]:
    """The first row of each entity (``rows`` in the order they were written): its state at the moment."""
    first: dict[Any, Any] = {}
    for row in rows:
        first.setdefault(key(row), row)
    return first


class HistoryRepository(Repository):
    """What point-in-time recovery reads: every image recorded after a moment, and who was created since."""

    def users_at(self, pool_id: str, moment: datetime) -> dict[str, UserImage | None]:
        """By sub, each user changed after ``moment`` as it was then (None: it did not exist yet)."""
        rows = self.c.execute(
            select(history_users, history_users.c.user_id.label("id"))
            .where(history_users.c.pool_id == pool_id, history_users.c.at > moment)
            .order_by(history_users.c.seq)
        ).all()
        images: dict[str, UserImage | None] = {}
        for sub, row in _first_after(list(rows), lambda r: r.sub).items():
            user = user_from_row(row)
            images[sub] = UserImage(user, row.username_key) if user.created <= moment else None
        return images

    def created_after(self, pool_id: str, moment: datetime) -> list[User]:
        """The users created after ``moment`` (an index range on ``(pool_id, created)``)."""
        rows = self.c.execute(select(users).where(users.c.pool_id == pool_id, users.c.created > moment)).all()
        return [user_from_row(row) for row in rows]

    def groups_at(self, pool_id: str, moment: datetime) -> dict[str, Group | None]:
        """By name, each group changed after ``moment`` as it was then (None: it did not exist yet)."""
        rows = self.c.execute(
            select(history_groups)
            .where(history_groups.c.pool_id == pool_id, history_groups.c.at > moment)
            .order_by(history_groups.c.seq)
        ).all()
        out: dict[str, Group | None] = {}
        for name, row in _first_after(list(rows), lambda r: r.name).items():
            image = group_from_row(row)
            out[name] = image if image.created <= moment else None
        return out

    def current_groups(self, pool_id: str) -> dict[str, Group]:
        rows = self.c.execute(select(groups).where(groups.c.pool_id == pool_id)).all()
        return {r.name: group_from_row(r) for r in rows}

    def memberships_at(self, pool_id: str, moment: datetime) -> dict[tuple[str, int], bool]:
        """By (group, user id), whether each membership changed after ``moment`` existed then."""
        rows = self.c.execute(
            select(history_members)
            .where(history_members.c.pool_id == pool_id, history_members.c.at > moment)
            .order_by(history_members.c.seq)
        ).all()
        first = _first_after(list(rows), lambda r: (r.group_name, int(r.user_id)))
        return {key: bool(row.present) for key, row in first.items()}


@dataclass
class RecoveryRecord:
    restore_id: str
    pool_id: str
    status: str
    restore_at: datetime
    trigger_at: datetime
    preview: list[dict[str, Any]] | None = None
    finished: datetime | None = None


def _record(row: Any) -> RecoveryRecord:
    return RecoveryRecord(
        row.restore_id, row.pool_id, row.status, row.restore_at, row.trigger_at, row.preview, row.finished
    )


class RecoveryRepository(Repository):
    def get(self, pool_id: str, restore_id: str) -> RecoveryRecord | None:
        query = select(pool_recoveries).where(
            pool_recoveries.c.restore_id == restore_id, pool_recoveries.c.pool_id == pool_id
        )
        row = self.c.execute(query.with_for_update() if self.session.write else query).first()
        return _record(row) if row is not None else None

    def insert(self, record: RecoveryRecord) -> None:
        self.c.execute(insert(pool_recoveries).values(**record.__dict__))

    def update(self, record: RecoveryRecord) -> None:
        self.c.execute(
            update(pool_recoveries)
            .where(pool_recoveries.c.restore_id == record.restore_id)
            .values(status=record.status, preview=record.preview, finished=record.finished)
        )

    def of_pool(self, pool_id: str, since: datetime | None = None) -> list[RecoveryRecord]:
        """The pool's recoveries, newest first; with ``since``, only those initiated after it."""
        query = select(pool_recoveries).where(pool_recoveries.c.pool_id == pool_id)
        if since is not None:
            query = query.where(pool_recoveries.c.trigger_at > since)
        return [_record(r) for r in self.c.execute(query.order_by(pool_recoveries.c.trigger_at.desc()))]

    def page(self, pool_id: str, after: tuple[datetime, str] | None, limit: int) -> list[RecoveryRecord]:
        """Newest first, after the cursor ``(trigger_at, restore_id)``."""
        t = pool_recoveries.c
        query = select(pool_recoveries).where(t.pool_id == pool_id)
        if after is not None:
            query = query.where((t.trigger_at < after[0]) | ((t.trigger_at == after[0]) & (t.restore_id < after[1])))
        query = query.order_by(t.trigger_at.desc(), t.restore_id.desc()).limit(limit)
        return [_record(r) for r in self.c.execute(query)]

    def active(self, statuses: tuple[str, ...]) -> list[RecoveryRecord]:
        """Every pool's recoveries in one of ``statuses`` (the account's quota of active recoveries)."""
        query = select(pool_recoveries).where(pool_recoveries.c.status.in_(statuses))
        return [_record(r) for r in self.c.execute(query)]
