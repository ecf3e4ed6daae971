"""App clients: one row each, settings as JSON, the secret encrypted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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


@dataclass(frozen=True)
class StoredClient:
    """An app client as kept: its secret sealed (operations/clients.py unseals it into a domain Client)."""

    id: str
    pool_id: str
    name: str
    secret: str | None
    config: dict[str, Any]
    created: datetime
    modified: datetime


def _stored(row: Any) -> StoredClient:
    return StoredClient(row.id, row.pool_id, row.name, row.secret, row.config, row.created, row.modified)


class ClientRepository(Repository):
    def get(self, client_id: str) -> StoredClient | None:
        row = _GET.first(self.session, client_id=client_id)
        return _stored(row) if row else None

    def get_with_pool(self, client_id: str) -> tuple[StoredClient, Pool] | None:
        """The client and its pool, in one statement (sign-in reads both, every request)."""
        row = _GET_WITH_POOL.first(self.session, client_id=client_id)
        if row is None:
            return None
        values = row._asdict()
        pool = pool_from(*(values[f"p_{column.name}"] for column in pool_columns))
        return _stored(row), pool

    def insert(self, client: StoredClient) -> None:
        self.c.execute(insert(clients).values(**vars(client)))

    def update(self, client_id: str, values: dict[str, Any]) -> None:
        self.c.execute(update(clients).where(clients.c.id == client_id).values(**values))

    def delete(self, client_id: str) -> None:
        self.c.execute(delete(clients).where(clients.c.id == client_id))

    def page(self, pool_id: str, after: str | None, limit: int) -> list[StoredClient]:
        query = select(clients).where(clients.c.pool_id == pool_id).order_by(clients.c.id).limit(limit)
        if after is not None:
            query = query.where(clients.c.id > after)
        return [_stored(row) for row in self.c.execute(query)]
