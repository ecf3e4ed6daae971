"""Groups and memberships."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from userpools.domain.groups import Group
from userpools.domain.users import User
from userpools.storage import history
from userpools.storage.conflicts import is_missing_reference
from userpools.storage.errors import Conflict
from userpools.storage.schema import groups, memberships, users
from userpools.storage.statements import Query, Repository
from userpools.storage.users import user_from_row

_OF_USER = Query(
    select(groups)
    .join(memberships, (memberships.c.pool_id == groups.c.pool_id) & (memberships.c.group_name == groups.c.name))
    .where(memberships.c.user_id == bindparam("user_id"))
    .order_by(groups.c.name)
    .limit(bindparam("limit"))
)


def group_from_row(row: Any) -> Group:
    return Group(row.pool_id, row.name, row.description, row.role_arn, row.precedence, row.created, row.modified)


class GroupRepository(Repository):
    def get(self, pool_id: str, name: str) -> Group | None:
        row = self.c.execute(select(groups).where(groups.c.pool_id == pool_id, groups.c.name == name)).first()
        return group_from_row(row) if row else None

    def insert(self, group: Group) -> None:
        history.check_writable(self.session, group.pool_id)
        self.c.execute(insert(groups).values(**vars(group)))

    def update(self, group: Group) -> None:
        """Write the group's description, role, precedence and modification time."""
        history.group_changing(self.session, group.pool_id, group.name)
        self.c.execute(
            update(groups)
            .where(groups.c.pool_id == group.pool_id, groups.c.name == group.name)
            .values(
                description=group.description,
                role_arn=group.role_arn,
                precedence=group.precedence,
                modified=group.modified,
            )
        )

    def delete(self, pool_id: str, name: str) -> None:
        history.group_changing(self.session, pool_id, name, deleting=True)
        self.c.execute(delete(memberships).where(memberships.c.pool_id == pool_id, memberships.c.group_name == name))
        self.c.execute(delete(groups).where(groups.c.pool_id == pool_id, groups.c.name == name))

    def page(self, pool_id: str, after: str | None, limit: int) -> list[Group]:
        query = select(groups).where(groups.c.pool_id == pool_id).order_by(groups.c.name).limit(limit)
        if after is not None:
            query = query.where(groups.c.name > after)
        return [group_from_row(row) for row in self.c.execute(query)]

    def add_member(self, pool_id: str, name: str, user_id: int) -> None:
        exists = self.c.execute(
            select(memberships.c.user_id).where(
                memberships.c.pool_id == pool_id, memberships.c.group_name == name, memberships.c.user_id == user_id
            )
        ).first()
        if exists:
            return
        history.check_writable(self.session, pool_id)
        try:
            with self.c.begin_nested():
                self.c.execute(insert(memberships).values(pool_id=pool_id, group_name=name, user_id=user_id))
                history.membership_changed(self.session, pool_id, name, user_id, present=False)
        except IntegrityError as error:  # a concurrent DeleteGroup (or user deletion), or the same add
            if is_missing_reference(error):
                raise Conflict("missing", "group or user deleted meanwhile") from None

    def remove_member(self, pool_id: str, name: str, user_id: int) -> None:
        history.check_writable(self.session, pool_id)
        removed = self.c.execute(
            delete(memberships).where(
                memberships.c.pool_id == pool_id, memberships.c.group_name == name, memberships.c.user_id == user_id
            )
        )
        if removed.rowcount:
            history.membership_changed(self.session, pool_id, name, user_id, present=True)

    def of_user(self, pool_id: str, user_id: int, after: str | None, limit: int) -> list[Group]:
        if after is None:  # a sign-in's groups: the prebuilt statement
            return [group_from_row(row) for row in _OF_USER.all(self.session, user_id=user_id, limit=limit)]
        query = (
            select(groups)
            .join(
                memberships, (memberships.c.pool_id == groups.c.pool_id) & (memberships.c.group_name == groups.c.name)
            )
            .where(memberships.c.user_id == user_id)
            .order_by(groups.c.name)
            .limit(limit)
        )
        if after is not None:
            query = query.where(groups.c.name > after)
        return [group_from_row(row) for row in self.c.execute(query)]

    def members(self, pool_id: str, name: str, after: int | None, limit: int) -> list[User]:
        query = (
            select(users)
            .join(memberships, users.c.id == memberships.c.user_id)
            .where(memberships.c.pool_id == pool_id, memberships.c.group_name == name)
            .order_by(memberships.c.user_id)
            .limit(limit)
        )
        if after is not None:
            query = query.where(memberships.c.user_id > after)
        return [user_from_row(row) for row in self.c.execute(query)]
