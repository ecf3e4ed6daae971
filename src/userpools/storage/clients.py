"""App clients: one row each, settings as JSON, the secret encrypted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from userpools.domain.pools import Pool
from userpools.storage.pools import COLUMNS as pool_columns
from userpools.storage.pools import pool_from
from userpools.storage.schema import clients, pools
from userpools.storage.statements import Query, Repository

_GET = Query(select(clients).where(clients.c.id == bindparam("client_id")))
_GET_WITH_POOL = Query(
    select(*clients.c, *(column.label(f"p_{column.name}") for column in pool_columns))
    .join(pools, pools.c.id == clients.c.pool_id)
    .where(clients.c.id == bindparam("client_id"))
)


class ClientRepository(Repository):
    def get(self, client_id: str) -> dict[str, Any] | None:
        row = _GET.first(self.session, client_id=client_id)
        return row._asdict() if row else None

    def get_with_pool(self, client_id: str) -> tuple[dict[str, Any], Pool] | None:
        """The client's row and its pool, in one statement (sign-in reads both, every request)."""
        row = _GET_WITH_POOL.first(self.session, client_id=client_id)
        if row is None:
            return None
        values = row._asdict()
        pool = pool_from(*(values.pop(f"p_{column.name}") for column in pool_columns))
        return values, pool

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
