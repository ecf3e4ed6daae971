"""App clients: one row each, settings as JSON, the secret encrypted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from userpools.storage.schema import clients


class ClientRepository:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def get(self, client_id: str) -> dict[str, Any] | None:
        row = self.c.execute(select(clients).where(clients.c.id == client_id)).first()
        return dict(row._mapping) if row else None

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
