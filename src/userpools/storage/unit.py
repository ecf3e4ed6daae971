"""One transaction's view of the database: a repository per concept, sharing one connection."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy import Connection

from userpools.storage.codes import CodeRepository
from userpools.storage.groups import GroupRepository
from userpools.storage.outbox import OutboxRepository
from userpools.storage.pools import PoolRepository
from userpools.storage.users import UserRepository


class Tx:
    def __init__(self, connection: Connection, *, write: bool = True) -> None:
        self.connection = connection
        self.write = write

    @cached_property
    def pools(self) -> PoolRepository:
        return PoolRepository(self.connection)

    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(self.connection, lock=self.write)

    @cached_property
    def groups(self) -> GroupRepository:
        return GroupRepository(self.connection)

    @cached_property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self.connection)

    @cached_property
    def codes(self) -> CodeRepository:
        return CodeRepository(self.connection)
