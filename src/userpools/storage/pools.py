"""Pools: one row each, the configuration as JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Text, bindparam, cast, func, select

from userpools.domain.pools import Pool
from userpools.storage.schema import pool_user_counts, pools
from userpools.storage.statements import Query, Repository, Session

# The configuration parsed last, by pool: (the JSON text as stored, the parsed dict). Every transaction
# still reads its pool's row (another instance may have changed it), but when the text is the one parsed
# last, the parsing (a pool's configuration is ~4 kB of JSON) is skipped and the dict shared: see Pool.config.
_PARSED: dict[str, tuple[str, dict[str, Any]]] = {}
COLUMNS = (pools.c.id, pools.c.name, cast(pools.c.config, Text).label("config"), pools.c.created, pools.c.modified)


def pool_from(pool_id: str, name: str, config_text: str, created: datetime, modified: datetime) -> Pool:
    """A pool from its row's values (``COLUMNS``, the configuration as text)."""
    parsed = _PARSED.get(pool_id)
    if parsed is None or parsed[0] != config_text:
        parsed = _PARSED[pool_id] = (config_text, orjson.loads(config_text))
    return Pool(id=pool_id, name=name, config=parsed[1], created=created, modified=modified)


def _pool(row: Any) -> Pool:
    return pool_from(row.id, row.name, row.config, row.created, row.modified)


_GET = Query(select(*COLUMNS).where(pools.c.id == bindparam("pool_id")))
_USER_COUNT = Query(
    select(func.sum(pool_user_counts.c.users).label("users")).where(pool_user_counts.c.pool_id == bindparam("pool_id"))
)


class PoolRepository(Repository):
    """A pool read once is kept for the rest of the transaction (a batch's transaction serves many creates
    in one pool); writes through here keep it current, and :meth:`forget` drops it."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._read: dict[str, Pool] = {}

    def get(self, pool_id: str) -> Pool | None:
        pool = self._read.get(pool_id)
        if pool is None:
            row = _GET.first(self.session, pool_id=pool_id)
            if row is None:
                return None
            pool = self._read[pool_id] = _pool(row)
        return pool

    def remember(self, pool: Pool) -> None:
        """Keep ``pool``, read with another row (ClientRepository.get_with_pool), for this transaction."""
        self._read[pool.id] = pool

    def forget(self) -> None:
        """Drop what was read (a savepoint rolled back may have changed it)."""
        self._read.clear()

    def insert(self, pool: Pool) -> None:
        self.c.execute(
            pools.insert().values(
                id=pool.id, name=pool.name, config=pool.config, created=pool.created, modified=pool.modified
            )
        )

    def update(self, pool: Pool) -> None:
        self._read.pop(pool.id, None)
        self.c.execute(
            pools.update()
            .where(pools.c.id == pool.id)
            .values(name=pool.name, config=pool.config, modified=pool.modified)
        )

    def delete(self, pool_id: str) -> None:
        self._read.pop(pool_id, None)
        _PARSED.pop(pool_id, None)
        self.c.execute(pools.delete().where(pools.c.id == pool_id))

    def page(self, after: str | None, limit: int) -> list[Pool]:
        query = select(*COLUMNS).order_by(pools.c.id).limit(limit)
        if after:
            query = query.where(pools.c.id > after)
        return [_pool(row) for row in self.c.execute(query)]

    def user_count(self, pool_id: str) -> int:
        """The sum of the pool's count shards (storage.users keeps them): a few rows, not a count of users."""
        row = _USER_COUNT.first(self.session, pool_id=pool_id)
        return int(row.users or 0) if row is not None else 0
