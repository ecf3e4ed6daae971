"""App clients: one row each, settings as JSON, the secret encrypted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from userpools.storage.schema import clients
from userpools.storage.statements import Query, Repository

_GET = Query(select(clients).where(clients.c.id == bindparam("client_id")))


class ClientRepository(Repository):
    def get(self, client_id: str) -> dict[str, Any] | None:
        row = _GET.first(self.session, client_id=client_id)
        return row._asdict() if row else None

    def insert(self, row: dict[str, Any]) -> None:
        self.c.execute(insert(clients).values(**row))

    def update(self, client_id: str, values: dict[str, Any]) -> None:
        self.c.execute(update(clients).where(clients.c.id == client_id).values(**values))

    def delete(self, client_id: str) -> None:
        self.c.execute(delete(clients).where(clients.c.id == client_id))

    def page(self, pool_id: str, after: str | None, limit: int) -> list[dict[str, Any]]:
        query = select(clients).where(clients.c.pool_id == pool_id).order_by(clients.c.id).limit(limit)
        if after is not None:
            query = query.where(clients.c.id > after)
        return [dict(row._mapping) for row in self.c.execute(query)]
