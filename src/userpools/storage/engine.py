"""Opening a database: engines for SQLite (WAL, immediate write transactions) and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from userpools.storage.unit import Tx


def _sqlite_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Writers take the write lock up front, so two writers never deadlock upgrading a read lock.
        mode = "IMMEDIATE" if connection.get_execution_options().get("write", True) else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _postgres_engine(url: str) -> Engine:
    parsed = make_url(url).set(drivername="postgresql+psycopg")
    timeout_ms = int(os.environ.get("USERPOOLS_STATEMENT_TIMEOUT_MS", "15000"))
    return create_engine(
        parsed,
        pool_size=int(os.environ.get("USERPOOLS_DB_POOL_SIZE", "10")),
        max_overflow=int(os.environ.get("USERPOOLS_DB_POOL_OVERFLOW", "10")),
        pool_pre_ping=True,
        connect_args={"options": f"-c statement_timeout={timeout_ms}"},
    )


def open_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    if url.startswith(("postgresql", "postgres")):
        return _postgres_engine(url.replace("postgres://", "postgresql://", 1))
    raise ValueError(f"Unsupported database URL: {url}")


class Store:
    """The unit of work: every request runs in exactly one transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = open_engine(url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Tx]:
        with self.engine.connect() as connection:
            connection = connection.execution_options(write=write)
            with connection.begin():
                yield Tx(connection, write=write)

    def migrate(self) -> None:
        from userpools.storage.migrate import upgrade

        upgrade(self.engine)

    def reset(self) -> None:
        from userpools.storage.schema import metadata

        with self.transaction() as tx:
            for table in reversed(metadata.sorted_tables):
                tx.connection.execute(table.delete())

    def close(self) -> None:
        self.engine.dispose()
