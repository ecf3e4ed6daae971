"""Pools' log delivery configurations (SetLogDeliveryConfiguration), one row a pool."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, insert, select

from userpools.storage.schema import log_delivery
from userpools.storage.statements import Query, Repository

_GET = Query(select(log_delivery.c.configurations).where(log_delivery.c.pool_id == bindparam("pool_id")))


class LogDeliveryRepository(Repository):
    def get(self, pool_id: str) -> list[dict[str, Any]]:
        """The pool's log configurations; none for a pool never configured."""
        row = _GET.first(self.session, pool_id=pool_id)
        return list(row.configurations) if row else []

    def put(self, pool_id: str, configurations: list[dict[str, Any]]) -> None:
        self.c.execute(delete(log_delivery).where(log_delivery.c.pool_id == pool_id))
        self.c.execute(insert(log_delivery).values(pool_id=pool_id, configurations=configurations))
