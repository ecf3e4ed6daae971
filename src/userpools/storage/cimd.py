"""CIMD policies: the metadata document URL patterns a pool accepts as client ids, each for one app client;
and the document URLs each policy received, with the document cached for each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from userpools.storage.schema import cimd_documents as documents
from userpools.storage.schema import cimd_policies as table
from userpools.storage.statements import Repository


@dataclass(frozen=True)
class CIMDPolicyRecord:
    policy_id: str
    pool_id: str
    client_id: str
    name: str
    cache_duration: int
    patterns: list[str]
    created: datetime
    modified: datetime


def _record(row: Any) -> CIMDPolicyRecord:
    return CIMDPolicyRecord(
        row.policy_id,
        row.pool_id,
        row.client_id,
        row.name,
        row.cache_duration,
        list(row.patterns or []),
        row.created,
        row.modified,
    )


class CIMDPolicyRepository(Repository):
    def get(self, pool_id: str, policy_id: str) -> CIMDPolicyRecord | None:
        row = self.c.execute(select(table).where(table.c.pool_id == pool_id, table.c.policy_id == policy_id)).first()
        return _record(row) if row else None

    def insert(self, record: CIMDPolicyRecord) -> None:
        self.c.execute(insert(table).values(**record.__dict__))

    def update(self, record: CIMDPolicyRecord) -> None:
        self.c.execute(
            update(table)
            .where(table.c.policy_id == record.policy_id)
            .values(
                client_id=record.client_id,
                name=record.name,
                cache_duration=record.cache_duration,
                patterns=record.patterns,
                modified=record.modified,
            )
        )

    def delete(self, policy_id: str) -> None:
        self.c.execute(delete(table).where(table.c.policy_id == policy_id))

    def of_pool(self, pool_id: str) -> list[CIMDPolicyRecord]:
        """Every policy of the pool, oldest first (the order a client_id URL is matched in)."""
        query = select(table).where(table.c.pool_id == pool_id).order_by(table.c.created, table.c.policy_id)
        return [_record(row) for row in self.c.execute(query)]

    def page(self, pool_id: str, after: str | None, limit: int) -> list[CIMDPolicyRecord]:
        query = select(table).where(table.c.pool_id == pool_id).order_by(table.c.policy_id).limit(limit)
        if after is not None:
            query = query.where(table.c.policy_id > after)
        return [_record(row) for row in self.c.execute(query)]


@dataclass(frozen=True)
class CIMDDocumentRecord:
    policy_id: str
    url: str
    document: dict[str, Any] | None  # None: not fetched, the fetch failed, or invalidated
    cached: datetime | None
    expires: datetime | None


class CIMDDocumentRepository(Repository):
    def get(self, policy_id: str, url: str) -> CIMDDocumentRecord | None:
        row = self.c.execute(
            select(documents).where(documents.c.policy_id == policy_id, documents.c.url == url)
        ).first()
        return CIMDDocumentRecord(**row._asdict()) if row else None

    def received(self, policy_id: str, url: str) -> None:
        """The URL is listed for the policy from now on (a concurrent request may have listed it already)."""
        if self.get(policy_id, url) is not None:
            return
        try:
            with self.c.begin_nested():
                self.c.execute(insert(documents).values(policy_id=policy_id, url=url))
        except IntegrityError:
            pass

    def cache(self, record: CIMDDocumentRecord) -> None:
        self.received(record.policy_id, record.url)
        self.c.execute(
            update(documents)
            .where(documents.c.policy_id == record.policy_id, documents.c.url == record.url)
            .values(document=record.document, cached=record.cached, expires=record.expires)
        )

    def page(self, policy_id: str, after: str | None, limit: int) -> list[CIMDDocumentRecord]:
        query = select(documents).where(documents.c.policy_id == policy_id).order_by(documents.c.url).limit(limit)
        if after is not None:
            query = query.where(documents.c.url > after)
        return [CIMDDocumentRecord(**row._asdict()) for row in self.c.execute(query)]
