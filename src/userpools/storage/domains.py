"""User pool domains: prefix and custom names, each unique across pools."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from userpools.storage.errors import Conflict
from userpools.storage.schema import domains
from userpools.storage.statements import Repository


@dataclass(frozen=True)
class DomainRecord:
    domain: str
    pool_id: str
    custom: bool
    config: dict[str, Any]
    created: datetime


def _record(row: Any) -> DomainRecord:
    return DomainRecord(row.domain, row.pool_id, bool(row.custom), dict(row.config or {}), row.created)


class DomainRepository(Repository):
    def get(self, domain: str) -> DomainRecord | None:
        row = self.c.execute(select(domains).where(domains.c.domain == domain)).first()
        return _record(row) if row else None

    def of_pool(self, pool_id: str) -> list[DomainRecord]:
        rows = self.c.execute(select(domains).where(domains.c.pool_id == pool_id).order_by(domains.c.custom))
        return [_record(row) for row in rows]

    def insert(self, record: DomainRecord) -> None:
        """Raises Conflict("unique") when the name is taken or the pool has a domain of that kind."""
        try:
            with self.c.begin_nested():
                self.c.execute(insert(domains).values(**record.__dict__))
        except IntegrityError:
            raise Conflict("unique", record.domain) from None

    def update_config(self, domain: str, config: dict[str, Any]) -> None:
        self.c.execute(update(domains).where(domains.c.domain == domain).values(config=config))

    def delete(self, domain: str) -> None:
        self.c.execute(delete(domains).where(domains.c.domain == domain))
