"""The outbox: every message the server produced, whether or not it was delivered elsewhere too.

Destinations, subjects, bodies and codes arrive sealed (bodies and codes empty when not kept:
steps/messaging.py), destinations with their keyed digest (domain/outbox.py); old rows are purged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from userpools.storage.schema import outbox
from userpools.storage.statements import Query, Repository


@dataclass(frozen=True)
class StoredMessage:
    """A message as the outbox keeps it: destination, subject, body and code still sealed."""

    id: int
    pool_id: str
    username: str
    kind: str
    medium: str
    destination: str
    destination_key: str | None
    subject: str | None
    body: str
    code: str | None
    status: str
    created: datetime


_COLUMNS = (
    "pool_id",
    "username",
    "kind",
    "medium",
    "destination",
    "destination_key",
    "subject",
    "body",
    "code",
    "status",
    "created",
)
_ADD = Query(insert(outbox).values({outbox.c[k]: bindparam(f"v_{k}") for k in _COLUMNS}).returning(outbox.c.id))


class OutboxRepository(Repository):
    def add(self, **message: Any) -> int:
        return int(_ADD.first(self.session, **{f"v_{k}": v for k, v in message.items()}).id)

    def set_status(self, message_id: int, status: str) -> None:
        self.c.execute(update(outbox).where(outbox.c.id == message_id).values(status=status))

    def purge(self, before: datetime) -> None:
        """Forget the messages created before ``before`` (an index range on ``created``)."""
        self.c.execute(delete(outbox).where(outbox.c.created < before))

    def list(
        self,
        *,
        pool: str | None = None,
        usernames: Sequence[str] | None = None,
        destination_key: str | None = None,
        after: int | None = None,
        since: datetime | None = None,
        limit: int = 1000,
    ) -> list[StoredMessage]:
        """Messages oldest first: the newest ``limit``, or with ``after`` the first ``limit`` past that id."""
        query = select(outbox).limit(limit)
        if after is not None:
            query = query.where(outbox.c.id > after).order_by(outbox.c.id)
        else:
            query = query.order_by(outbox.c.id.desc())
        if since is not None:
            query = query.where(outbox.c.created >= since)
        if pool:
            query = query.where(outbox.c.pool_id == pool)
        if usernames:
            query = query.where(outbox.c.username.in_(usernames))
        if destination_key:
            query = query.where(outbox.c.destination_key == destination_key)
        found = [StoredMessage(**row._mapping) for row in self.c.execute(query)]
        if after is None:
            found.reverse()
        return found
