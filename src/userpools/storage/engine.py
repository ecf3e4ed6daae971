"""Opening a database: engines for SQLite (WAL, immediate write transactions) and PostgreSQL."""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import PoolProxiedConnection

from userpools.clock import Clock, SystemClock
from userpools.domain.sealing import Keyring
from userpools.storage.checkpoints import Checkpointer
from userpools.storage.conflicts import conflict_of
from userpools.storage.errors import OnEventLoop
from userpools.storage.unit import Tx

log = logging.getLogger(__name__)

# Connections kept open per process (Settings.db_pool_size), none opened and closed per request. Small on
# purpose: one process runs Python on one core at a time, and on a local PostgreSQL 4 connections served ~15%
# more than 16 (2: ~40% more) by sparing the GIL hand-offs; raise it for a database far away (bench/README.md).
# Requests run on as many threads as connections, and on more while some wait on a trigger or a mail server
# (userpools.slots.Workers, up to Settings.handler_threads); one that wants a connection waits for one.


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _sqlite_engine(url: str, pool_size: int) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # Besides the threads' connections: the event loop's batch (Store.batch) and its reader (Store.keep_reader).
    pooled = {} if parsed.database in (None, "", ":memory:") else {"pool_size": pool_size + 2, "max_overflow": 0}
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        hide_parameters=True,  # a logged database error never shows attribute values or other parameters
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
        **pooled,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA wal_autocheckpoint=0")  # the Checkpointer's thread does it, below
        cursor.execute("PRAGMA journal_size_limit=67108864")  # a log started afresh is cut back to 64 MB
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # SQLAlchemy-begun transactions (migrations, tools). Store.transaction begins its own, below.
        if not connection.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Batch:
    """Group commit (SQLite): writes made on the event loop gathered into one write transaction, each in a
    savepoint of its own, so a failing write undoes only itself. The gateway commits it once the loop has
    run every request ready with it; one commit and one lock hand-over then serve them all."""

    def __init__(self, tx: Tx, writer: WriterLock) -> None:
        self.tx = tx
        tx.pending_counts = {}  # see UserRepository.adjust_count: one count update per pool, at the commit
        self._writer = writer
        self._broken: BaseException | None = None

    @contextmanager
    def savepoint(self, *, checked_first: bool = False) -> Iterator[Tx]:
        """One write of the batch, undone alone if it raises.

        ``checked_first``: the write makes every check that can refuse it before it changes a row, so a write
        that raises has changed nothing and needs no savepoint (two statements fewer). Should one raise having
        changed rows after all, they cannot be undone alone: the whole batch is rolled back at its commit, and
        the gateway runs its requests again on threads."""
        if self._broken is not None:
            raise self._broken
        driver = self.tx.driver
        counts = dict(self.tx.pending_counts or {})
        if checked_first:
            changes = driver.total_changes
            try:
                yield self.tx
            except BaseException as error:
                self.tx.pending_counts = counts
                if driver.total_changes != changes:
                    self._broken = error
                if isinstance(error, IntegrityError):
                    raise conflict_of(error) from error
                raise
            return
        driver.execute("SAVEPOINT write")
        try:
            yield self.tx
        except BaseException as failure:
            self.tx.pools.forget()
            self.tx.pending_counts = counts
            try:
                driver.execute("ROLLBACK TO write")
                driver.execute("RELEASE write")
            except BaseException as error:  # the transaction cannot go on: commit() will roll it all back
                self._broken = error
            if isinstance(failure, IntegrityError):
                raise conflict_of(failure) from failure
            raise
        try:
            driver.execute("RELEASE write")
        except BaseException as error:
            self._broken = error
            raise

    def commit(self) -> None:
        """Commit, or roll back and raise if a savepoint could not be undone or the commit failed."""
        try:
            try:
                if self._broken is not None:
                    raise self._broken
                self.tx.users.write_pending_counts()
            except BaseException:
                self.tx.finish(commit=False)
                raise
            self.tx.finish(commit=True)
        finally:
            self._writer.release()


class WriterBusy(Exception):
    """A write that must not wait (one on the event loop) found another writer holding SQLite's lock."""


def _refuse_on_event_loop(what: str) -> None:
    if asyncio._get_running_loop() is not None:  # the C lookup get_running_loop makes, without its raise
        raise OnEventLoop(
            f"{what} on the event loop would block it: run this on a thread (the gateway's executor, "
            "run_in_threadpool); a quick write on the loop writes through Context.writing()"
        )


class WriterLock:
    """SQLite's one writer at a time, as a queue rather than SQLite's busy handler, which sleeps in steps of
    up to 100 ms: threads of this process queue on a lock, processes (``serve --workers N``, several
    ``serve`` on one file) on an ``flock`` of ``<database>-writer`` beside the database."""

    def __init__(self, database: str | None) -> None:
        self._threads = threading.Lock()
        self._file = os.open(f"{database}-writer", os.O_RDWR | os.O_CREAT, 0o600) if database else None

    def acquire(self, wait: bool = True) -> None:
        """Take the lock; with ``wait`` False, raise WriterBusy rather than wait for it."""
        if not self._threads.acquire(blocking=wait):
            raise WriterBusy
        if self._file is not None:
            try:
                fcntl.flock(self._file, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)  # GIL released
            except BlockingIOError:
                self._threads.release()
                raise WriterBusy from None
            except BaseException:
                self._threads.release()
                raise

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
        self._threads.release()

    def close(self) -> None:
        if self._file is not None:
            os.close(self._file)
            self._file = None


def _postgres_engine(url: str, pool_size: int, pool_overflow: int, timeout_ms: int) -> Engine:
    parsed = make_url(url).set(drivername="postgresql+psycopg")
    return create_engine(
        parsed,
        pool_size=pool_size,
        max_overflow=pool_overflow,
        # No pre-ping round trip per transaction: a connection found dead is invalidated and the
        # request's transaction run again (operations.registry, storage.conflicts.is_transient).
        pool_pre_ping=False,
        hide_parameters=True,  # a logged database error never shows attribute values or other parameters
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
        # psycopg prepares none of its own statements: after a ROLLBACK it would DEALLOCATE ALL of them, and so
        # the hot statements that storage/postgres.py prepared on the same connection.
        connect_args={"options": f"-c statement_timeout={timeout_ms}", "prepare_threshold": None},
    )


def open_engine(url: str, pool_size: int = 4, pool_overflow: int = 0, statement_timeout_ms: int = 15000) -> Engine:
    """The engine for ``url``: connection pool sizes and PostgreSQL's statement timeout from Settings."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, pool_size)
    if url.startswith(("postgresql", "postgres")):
        url = url.replace("postgres://", "postgresql://", 1)
        return _postgres_engine(url, pool_size, pool_overflow, statement_timeout_ms)
    raise ValueError(f"Unsupported database URL: {url}")


def _disconnected(store: Store, error: BaseException, raw: PoolProxiedConnection) -> bool:
    """Whether ``error`` means the connection is gone: the dialect asks the connection itself (psycopg: its
    libpq status), which it cannot do without it."""
    orig = getattr(error, "orig", error)
    if not isinstance(orig, store.engine.dialect.loaded_dbapi.Error):
        return False
    return bool(store.engine.dialect.is_disconnect(orig, raw.driver_connection, None))


class Store:
    """The unit of work: every request runs in exactly one transaction."""

    def __init__(
        self, url: str, *, pool_size: int = 4, pool_overflow: int = 0, statement_timeout_ms: int = 15000
    ) -> None:
        self.url = url
        self.pool_size, self.pool_overflow = pool_size, pool_overflow
        self.engine = open_engine(url, pool_size, pool_overflow, statement_timeout_ms)
        self.sqlite = self.engine.dialect.name == "sqlite"
        database = self.engine.url.database if self.sqlite else None
        on_disk = database if database and database != ":memory:" else None
        self._writer = WriterLock(on_disk) if self.sqlite else None
        self._checkpointer = Checkpointer(on_disk) if on_disk else None
        self._kept = threading.local()  # .raw: the connection of a thread that called keep_reader
        self.clock: Clock = SystemClock()  # the server's, given to every transaction (create_app sets it)

    @property
    def serial_writes(self) -> bool:
        """Whether write transactions run one at a time under a lock (SQLite), so that work done inside one holds
        every other writer up; on PostgreSQL writers wait only for the rows they share."""
        return self.sqlite

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _begin(self, tx: Tx) -> None:
        write = tx.write
        if self.sqlite:
            if write and self._checkpointer is not None and self._checkpointer.due:
                self._checkpointer.finish(tx.driver)
            # Writers take the write lock up front, so two never deadlock upgrading a read lock.
            tx.driver.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        elif tx.driver.autocommit == write:
            # PostgreSQL at READ COMMITTED gives each statement its own snapshot, inside a transaction
            # or not: readers run in autocommit and save the BEGIN and COMMIT round trips.
            tx.driver.autocommit = not write

    def keep_reader(self) -> None:
        """Let the calling thread's read transactions use one connection of its own rather than one taken
        from the pool and handed back each time: for SQLite reads on the event loop."""
        if self._checkpointer is not None and getattr(self._kept, "raw", None) is None:  # a file, not :memory:
            self._kept.raw = self.engine.raw_connection()

    def _drop_kept(self) -> None:
        raw, self._kept.raw = getattr(self._kept, "raw", None), None
        if raw is not None:
            raw.close()

    def _finish(self, tx: Tx, *, commit: bool) -> None:
        """End ``tx``; a kept connection whose transaction could not be ended is given up."""
        try:
            tx.finish(commit=commit)
        except BaseException:
            if tx.kept:
                self._drop_kept()
            raise

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Tx]:
        """One transaction, waiting for SQLite's other writers if it writes. Only what never waits may run on the
        event loop: SQLite's reads (WAL mode); a write, or anything on PostgreSQL (a round trip per statement),
        raises OnEventLoop there rather than stall it."""
        if write or not self.sqlite:
            _refuse_on_event_loop("Store.transaction(write=True)" if write else "a PostgreSQL transaction")
        writer = self._writer if write else None  # SQLite: one writer at a time
        if writer is not None:
            writer.acquire()
        try:
            kept = None if write else getattr(self._kept, "raw", None)
            raw = kept if kept is not None else self.engine.raw_connection()
            tx = Tx(self.engine, raw, write=write, kept=kept is not None)
            tx.clock = self.clock
            try:
                self._begin(tx)
                yield tx
            except BaseException as error:
                if (isinstance(error, DBAPIError) and error.connection_invalidated) or _disconnected(self, error, raw):
                    if kept is not None:
                        self._kept.raw = None
                    # Every connection opened before this one is likely gone too (a restarted server, a failover):
                    # all are replaced at their next checkout, as SQLAlchemy's own disconnect handling does.
                    self.engine.pool._invalidate(raw, error if isinstance(error, Exception) else None)
                    raw.close()
                    if isinstance(error, DBAPIError):
                        error.connection_invalidated = True  # the request may run again on a fresh connection
                    raise
                self._finish(tx, commit=False)
                if isinstance(error, IntegrityError):
                    raise conflict_of(error) from error
                raise
            try:
                self._finish(tx, commit=True)
            except IntegrityError as error:  # a deferred rule, checked at COMMIT
                raise conflict_of(error) from error
        finally:
            if writer is not None:
                writer.release()

    def batch(self, *, wait: bool = True) -> Batch:
        """A write transaction to gather several writes in (SQLite); ``wait`` False: WriterBusy at once if
        another writer holds the lock, as the event loop must (one that would wait raises OnEventLoop there)."""
        assert self._writer is not None, "batches are for SQLite"
        if wait:
            _refuse_on_event_loop("Store.batch(wait=True)")
        self._writer.acquire(wait)
        try:
            tx = Tx(self.engine, self.engine.raw_connection())
            tx.clock = self.clock
            try:
                self._begin(tx)
            except BaseException:
                tx.finish(commit=False)
                raise
            return Batch(tx, self._writer)
        except BaseException:
            self._writer.release()
            raise

    def migrate(self, keyring: Keyring | None = None) -> None:
        """Upgrade the schema; ``keyring`` seals what older databases kept in clear (migration 0005)."""
        from userpools.storage.migrate import upgrade

        upgrade(self.engine, keyring)

    def reset(self) -> None:
        """Delete every pool and what hangs off it. The server's own secrets (server_secrets: the pagination and
        upload URL keys, the master key's id) stay, so every process keeps the keys it has read."""
        from userpools.storage.schema import metadata, server_secrets

        with self.transaction() as tx:
            for table in reversed(metadata.sorted_tables):
                if table is not server_secrets:
                    tx.connection.execute(table.delete())

    def close(self) -> None:
        self._drop_kept()
        if self._checkpointer is not None:
            self._checkpointer.stop()
        if self._writer is not None:
            self._writer.close()
        self.engine.dispose()
