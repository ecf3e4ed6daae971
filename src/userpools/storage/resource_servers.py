"""Resource servers: an identifier per pool and the custom scopes it defines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from userpools.storage.errors import Conflict
from userpools.storage.schema import resource_servers
from userpools.storage.statements import Repository


@dataclass(frozen=True)
class ResourceServerRecord:
    pool_id: str
    identifier: str
    name: str
    scopes: list[dict[str, str]]


def _record(row: Any) -> ResourceServerRecord:
    return ResourceServerRecord(row.pool_id, row.identifier, row.name, list(row.scopes or []))


class ResourceServerRepository(Repository):
    def get(self, pool_id: str, identifier: str) -> ResourceServerRecord | None:
        row = self.c.execute(
            select(resource_servers).where(
                resource_servers.c.pool_id == pool_id, resource_servers.c.identifier == identifier
            )
        ).first()
        return _record(row) if row else None

    def insert(self, record: ResourceServerRecord) -> None:
        try:
            with self.c.begin_nested():
                self.c.execute(insert(resource_servers).values(**record.__dict__))
        except IntegrityError:
            raise Conflict("unique", record.identifier) from None

    def update(self, record: ResourceServerRecord) -> None:
        self.c.execute(
            update(resource_servers)
            .where(resource_servers.c.pool_id == record.pool_id, resource_servers.c.identifier == record.identifier)
            .values(name=record.name, scopes=record.scopes)
        )

    def delete(self, pool_id: str, identifier: str) -> None:
        self.c.execute(
            delete(resource_servers).where(
                resource_servers.c.pool_id == pool_id, resource_servers.c.identifier == identifier
            )
        )

    def page(self, pool_id: str, after: str | None, limit: int) -> list[ResourceServerRecord]:
        query = (
            select(resource_servers)
            .where(resource_servers.c.pool_id == pool_id)
            .order_by(resource_servers.c.identifier)
            .limit(limit)
        )
        if after is not None:
            query = query.where(resource_servers.c.identifier > after)
        return [_record(row) for row in self.c.execute(query)]

    def scope_names(self, pool_id: str, limit: int = 10_000) -> set[str]:
        """Every ``identifier/scope`` of the pool (at most 25 servers of 100 scopes in Cognito)."""
        return {
            f"{server.identifier}/{scope['ScopeName']}"
            for server in self.page(pool_id, None, limit)
            for scope in server.scopes
        }
