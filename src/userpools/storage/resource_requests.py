"""Cloud Control resource requests: one row per mutating request, holding its final ProgressEvent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from userpools.storage.schema import resource_requests
from userpools.storage.statements import Repository


class ResourceRequestRepository(Repository):
    def insert(self, row: dict[str, Any]) -> None:
        self.c.execute(resource_requests.insert().values(**row))

    def by_request_token(self, token: str) -> dict[str, Any] | None:
        found = (
            self.c.execute(select(resource_requests).where(resource_requests.c.request_token == token))
            .mappings()
            .first()
        )
        return dict(found) if found else None

    def by_client_token(self, token: str) -> dict[str, Any] | None:
        found = (
            self.c.execute(select(resource_requests).where(resource_requests.c.client_token == token))
            .mappings()
            .first()
        )
        return dict(found) if found else None

    def page(
        self, before: int | None, limit: int, operations: list[str] | None, statuses: list[str] | None
    ) -> list[dict[str, Any]]:
        """Newest first; ``before`` is the id of the last row of the previous page."""
        query = select(resource_requests).order_by(resource_requests.c.id.desc()).limit(limit)
        if before is not None:
            query = query.where(resource_requests.c.id < before)
        if operations:
            query = query.where(resource_requests.c.operation.in_(operations))
        if statuses:
            query = query.where(resource_requests.c.status.in_(statuses))
        return [dict(row) for row in self.c.execute(query).mappings()]
