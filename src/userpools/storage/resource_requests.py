"""Cloud Control resource requests: one row per mutating request, holding its final ProgressEvent."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from userpools.storage.schema import resource_requests
from userpools.storage.statements import Repository


@dataclass(frozen=True)
class ResourceRequest:
    """A request and its final ProgressEvent; ``fingerprint`` tells a replay of it (the same ClientToken and
    parameters) from a different request reusing the token. ``id`` orders the listing: None until stored."""

    request_token: str
    client_token: str | None
    fingerprint: str
    type_name: str
    identifier: str | None
    operation: str
    status: str
    error_code: str | None
    status_message: str | None
    resource_model: str | None
    event_time: datetime
    id: int | None = None


def _request(row: Any) -> ResourceRequest:
    return ResourceRequest(**row)


class ResourceRequestRepository(Repository):
    def insert(self, request: ResourceRequest) -> None:
        """A ClientToken another request recorded first breaks the table's uniqueness rule: the transaction
        raises Conflict("client_token") (storage.conflicts)."""
        values = dataclasses.asdict(request)
        del values["id"]
        self.c.execute(resource_requests.insert().values(**values))

    def by_request_token(self, token: str) -> ResourceRequest | None:
        found = (
            self.c.execute(select(resource_requests).where(resource_requests.c.request_token == token))
            .mappings()
            .first()
        )
        return _request(found) if found else None

    def by_client_token(self, token: str) -> ResourceRequest | None:
        found = (
            self.c.execute(select(resource_requests).where(resource_requests.c.client_token == token))
            .mappings()
            .first()
        )
        return _request(found) if found else None

    def page(
        self, before: int | None, limit: int, operations: list[str] | None, statuses: list[str] | None
    ) -> list[ResourceRequest]:
        """Newest first; ``before`` is the id of the last row of the previous page."""
        query = select(resource_requests).order_by(resource_requests.c.id.desc()).limit(limit)
        if before is not None:
            query = query.where(resource_requests.c.id < before)
        if operations:
            query = query.where(resource_requests.c.operation.in_(operations))
        if statuses:
            query = query.where(resource_requests.c.status.in_(statuses))
        return [_request(row) for row in self.c.execute(query).mappings()]
