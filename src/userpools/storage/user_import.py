"""User import jobs: the jobs, their uploaded files and failed rows, leases, and the bulk insert of users.

The bulk insert writes what AdminCreateUser's insert writes (``users``, ``user_index``, ``aliases``, the pool's
count) for many users at once, with one prepared statement run over every row (executemany): the checks that
the database's constraints would otherwise make one by one (a taken username or alias) are made first, for the
whole batch, with ``IN`` lookups on the same unique indexes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, or_, select, update

from userpools.storage.schema import aliases, import_chunks, import_failures, import_jobs, user_index, users
from userpools.storage.statements import Query, Repository
from userpools.storage.users import _alias_key as alias_key

ACTIVE = ("Pending", "InProgress", "Stopping")  # what a worker may lease
_IN_CHUNK = 500  # values per IN (...) lookup


@dataclass
class ImportJobRecord:
    id: str
    pool_id: str
    name: str
    role_arn: str
    hashing: str | None
    status: str
    created: datetime
    started: datetime | None = None
    completed: datetime | None = None
    imported: int = 0
    skipped: int = 0
    failed: int = 0
    message: str | None = None
    position: int = 0
    uploaded: int | None = None
    lease_owner: str | None = None
    lease_until: datetime | None = None


_NAMES = [f.name for f in fields(ImportJobRecord)]


def _record(row: Any) -> ImportJobRecord:
    return ImportJobRecord(**{name: getattr(row, name) for name in _NAMES})


def _p(name: str) -> Any:
    return bindparam(name)


_USER_COLUMNS = (
    "pool_id",
    "username",
    "username_key",
    "sub",
    "status",
    "enabled",
    "attributes",
    "mfa",
    "created",
    "modified",
)
_INSERT_USERS = Query(insert(users).values({users.c[k]: _p(f"v_{k}") for k in _USER_COLUMNS}))
_INSERT_INDEX = Query(
    insert(user_index).values(user_id=_p("v_user_id"), pool_id=_p("v_pool_id"), name=_p("v_name"), value=_p("v_value"))
)
_INSERT_ALIAS = Query(
    insert(aliases).values(pool_id=_p("v_pool_id"), kind=_p("v_kind"), value=_p("v_value"), user_id=_p("v_user_id"))
)
_INSERT_FAILURE = Query(
    insert(import_failures).values(
        job_id=_p("v_job_id"), line=_p("v_line"), username=_p("v_username"), message=_p("v_message")
    )
)
_CHUNK = Query(
    select(import_chunks.c.data).where(import_chunks.c.job_id == _p("job_id"), import_chunks.c.seq == _p("seq"))
)


def _slices(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


class ImportJobRepository(Repository):
    def insert(self, job: ImportJobRecord) -> None:
        self.c.execute(insert(import_jobs).values(**job.__dict__))

    def get(self, job_id: str) -> ImportJobRecord | None:
        row = self.c.execute(select(import_jobs).where(import_jobs.c.id == job_id)).first()
        return _record(row) if row else None

    def page(self, pool_id: str, after: tuple[datetime, str] | None, limit: int) -> list[ImportJobRecord]:
        query = select(import_jobs).where(import_jobs.c.pool_id == pool_id)
        if after is not None:
            created, job_id = after
            query = query.where(
                or_(
                    import_jobs.c.created > created,
                    (import_jobs.c.created == created) & (import_jobs.c.id > job_id),
                )
            )
        query = query.order_by(import_jobs.c.created, import_jobs.c.id).limit(limit)
        return [_record(r) for r in self.c.execute(query)]

    def change(self, job_id: str, statuses: Iterable[str] | None = None, **values: Any) -> bool:
        """Update the job (only while in one of ``statuses``, when given); whether it was."""
        statement = update(import_jobs).where(import_jobs.c.id == job_id)
        if statuses is not None:
            statement = statement.where(import_jobs.c.status.in_(list(statuses)))
        return bool(self.c.execute(statement.values(**values)).rowcount)

    def runnable(self, now: datetime, limit: int = 10) -> list[str]:
        """Jobs started and not leased by a live worker, oldest first."""
        query = (
            select(import_jobs.c.id)
            .where(
                import_jobs.c.status.in_(ACTIVE),
                or_(import_jobs.c.lease_until.is_(None), import_jobs.c.lease_until < now),
            )
            .order_by(import_jobs.c.created)
            .limit(limit)
        )
        return [r.id for r in self.c.execute(query)]

    def lease(self, job_id: str, owner: str, now: datetime, until: datetime) -> bool:
        """Take (or renew, for its ``owner``) the job's lease: True for exactly one taker."""
        statement = (
            update(import_jobs)
            .where(
                import_jobs.c.id == job_id,
                import_jobs.c.status.in_(ACTIVE),
                or_(
                    import_jobs.c.lease_until.is_(None),
                    import_jobs.c.lease_until < now,
                    import_jobs.c.lease_owner == owner,
                ),
            )
            .values(lease_owner=owner, lease_until=until)
        )
        return bool(self.c.execute(statement).rowcount)

    # --- the uploaded file -------------------------------------------------------------------------
    def put_file(self, job_id: str, chunks: list[bytes]) -> None:
        self.c.execute(delete(import_chunks).where(import_chunks.c.job_id == job_id))
        if chunks:
            self.c.execute(
                insert(import_chunks), [{"job_id": job_id, "seq": i, "data": data} for i, data in enumerate(chunks)]
            )

    def chunk(self, job_id: str, seq: int) -> bytes | None:
        row = _CHUNK.first(self.session, job_id=job_id, seq=seq)
        return bytes(row.data) if row else None

    def drop_file(self, job_id: str) -> None:
        self.c.execute(delete(import_chunks).where(import_chunks.c.job_id == job_id))

    # --- failed rows -------------------------------------------------------------------------------
    def add_failures(self, job_id: str, failures: list[tuple[int, str, str]]) -> None:
        _INSERT_FAILURE.many(
            self.session,
            [
                {"v_job_id": job_id, "v_line": line, "v_username": name[:256], "v_message": m}
                for line, name, m in failures
            ],
        )

    def failures(self, job_id: str, limit: int) -> list[tuple[int, str, str]]:
        rows = self.c.execute(
            select(import_failures.c.line, import_failures.c.username, import_failures.c.message)
            .where(import_failures.c.job_id == job_id)
            .order_by(import_failures.c.line)
            .limit(limit)
        )
        return [(int(r.line), r.username, r.message) for r in rows]


@dataclass
class NewUser:
    username: str
    username_key: str
    sub: str
    attributes: dict[str, str]
    mfa: dict[str, Any]
    aliases: dict[str, str]


class BulkUserRepository(Repository):
    """Many new users of one pool at once (a user import's batch)."""

    def taken_usernames(self, pool_id: str, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for part in _slices(keys):
            rows = self.c.execute(
                select(users.c.username_key).where(users.c.pool_id == pool_id, users.c.username_key.in_(part))
            )
            found.update(r.username_key for r in rows)
        return found

    def taken_aliases(self, pool_id: str, kind: str, values: list[str]) -> set[str]:
        """Which of ``values`` (normalised aliases of ``kind``) some user of the pool holds."""
        stored = {alias_key(v): v for v in values}
        found: set[str] = set()
        for part in _slices(list(stored)):
            rows = self.c.execute(
                select(aliases.c.value).where(
                    aliases.c.pool_id == pool_id, aliases.c.kind == kind, aliases.c.value.in_(part)
                )
            )
            found.update(stored[r.value] for r in rows)
        return found

    def insert(self, pool_id: str, status: str, now: datetime, new: list[NewUser], indexed: frozenset[str]) -> None:
        """Write the users (checked: no username or alias taken), their index and alias rows, the pool's count."""
        if not new:
            return
        _INSERT_USERS.many(
            self.session,
            [
                {
                    "v_pool_id": pool_id,
                    "v_username": u.username,
                    "v_username_key": u.username_key,
                    "v_sub": u.sub,
                    "v_status": status,
                    "v_enabled": True,
                    "v_attributes": u.attributes,
                    "v_mfa": u.mfa,
                    "v_created": now,
                    "v_modified": now,
                }
                for u in new
            ],
        )
        ids: dict[str, int] = {}
        for part in _slices([u.sub for u in new]):
            for row in self.c.execute(select(users.c.id, users.c.sub).where(users.c.sub.in_(part))):
                ids[row.sub] = int(row.id)
        index_rows = []
        alias_rows = []
        for u in new:
            user_id = ids[u.sub]
            for name, value in u.attributes.items():
                if name in indexed and value:
                    index_rows.append(
                        {"v_user_id": user_id, "v_pool_id": pool_id, "v_name": name, "v_value": value[:256]}
                    )
            for kind, value in u.aliases.items():
                alias_rows.append(
                    {"v_pool_id": pool_id, "v_kind": kind, "v_value": alias_key(value), "v_user_id": user_id}
                )
        _INSERT_INDEX.many(self.session, index_rows)
        _INSERT_ALIAS.many(self.session, alias_rows)
