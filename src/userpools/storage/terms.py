"""Terms documents: per app client, one terms-of-use and one privacy-policy set of language links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from userpools.storage.errors import Conflict
from userpools.storage.schema import terms
from userpools.storage.statements import Repository


@dataclass(frozen=True)
class TermsRecord:
    terms_id: str
    pool_id: str
    client_id: str
    name: str
    source: str
    enforcement: str
    links: dict[str, str]
    created: datetime
    modified: datetime


def _record(row: Any) -> TermsRecord:
    return TermsRecord(
        row.terms_id,
        row.pool_id,
        row.client_id,
        row.name,
        row.source,
        row.enforcement,
        dict(row.links or {}),
        row.created,
        row.modified,
    )


class TermsRepository(Repository):
    def get(self, pool_id: str, terms_id: str) -> TermsRecord | None:
        row = self.c.execute(select(terms).where(terms.c.pool_id == pool_id, terms.c.terms_id == terms_id)).first()
        return _record(row) if row else None

    def by_client(self, pool_id: str, client_id: str, name: str) -> TermsRecord | None:
        row = self.c.execute(
            select(terms).where(terms.c.pool_id == pool_id, terms.c.client_id == client_id, terms.c.name == name)
        ).first()
        return _record(row) if row else None

    def for_client(self, pool_id: str, client_id: str) -> list[TermsRecord]:
        query = select(terms).where(terms.c.pool_id == pool_id, terms.c.client_id == client_id)
        return [_record(row) for row in self.c.execute(query)]

    def insert(self, record: TermsRecord) -> None:
        try:
            with self.c.begin_nested():
                self.c.execute(insert(terms).values(**record.__dict__))
        except IntegrityError:
            raise Conflict("unique", record.name) from None

    def update(self, record: TermsRecord) -> None:
        try:
            with self.c.begin_nested():
                self.c.execute(
                    update(terms)
                    .where(terms.c.terms_id == record.terms_id)
                    .values(
                        name=record.name,
                        source=record.source,
                        enforcement=record.enforcement,
                        links=record.links,
                        modified=record.modified,
                    )
                )
        except IntegrityError:
            raise Conflict("unique", record.name) from None

    def delete(self, terms_id: str) -> None:
        self.c.execute(delete(terms).where(terms.c.terms_id == terms_id))

    def page(self, pool_id: str, after: str | None, limit: int) -> list[TermsRecord]:
        query = select(terms).where(terms.c.pool_id == pool_id).order_by(terms.c.terms_id).limit(limit)
        if after is not None:
            query = query.where(terms.c.terms_id > after)
        return [_record(row) for row in self.c.execute(query)]
