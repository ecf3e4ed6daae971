"""Pool replicas: one row per secondary region of a pool (its primary is the pool's own row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from userpools.storage.schema import pool_replicas
from userpools.storage.statements import Query, Repository

_GET = Query(
    select(pool_replicas).where(
        pool_replicas.c.pool_id == bindparam("pool_id"), pool_replicas.c.region == bindparam("region")
    )
)


@dataclass
class ReplicaRecord:
    pool_id: str
    region: str
    status: str
    tags: dict[str, str]
    created: datetime
    modified: datetime


def _record(row: Any) -> ReplicaRecord:
    return ReplicaRecord(row.pool_id, row.region, row.status, dict(row.tags or {}), row.created, row.modified)


class ReplicaRepository(Repository):
    def get(self, pool_id: str, region: str) -> ReplicaRecord | None:
        """The pool's replica in ``region`` (a primary-key lookup, on every request addressed to a replica)."""
        row = _GET.first(self.session, pool_id=pool_id, region=region)
        return _record(row) if row is not None else None

    def of_pool(self, pool_id: str) -> list[ReplicaRecord]:
        query = select(pool_replicas).where(pool_replicas.c.pool_id == pool_id).order_by(pool_replicas.c.region)
        return [_record(r) for r in self.c.execute(query)]

    def insert(self, record: ReplicaRecord) -> None:
        self.c.execute(insert(pool_replicas).values(**record.__dict__))

    def update(self, record: ReplicaRecord) -> None:
        self.c.execute(
            update(pool_replicas)
            .where(pool_replicas.c.pool_id == record.pool_id, pool_replicas.c.region == record.region)
            .values(status=record.status, tags=record.tags, modified=record.modified)
        )

    def delete(self, pool_id: str, region: str) -> None:
        self.c.execute(
            delete(pool_replicas).where(pool_replicas.c.pool_id == pool_id, pool_replicas.c.region == region)
        )
