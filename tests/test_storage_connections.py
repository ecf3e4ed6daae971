"""Connections: PostgreSQL statement timeouts, requests that outlive a dropped connection, SQLite checkpoints."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.conftest import client_for
from tests.support import Postgres, Server
from userpools.settings import Settings
from userpools.storage.conflicts import is_transient
from userpools.storage.engine import Store
from userpools.storage.schema import server_secrets


def test_statement_timeout_applies_to_every_connection(postgres: Postgres) -> None:
    settings = Settings.from_env({"USERPOOLS_STATEMENT_TIMEOUT_MS": "1234"})
    url = postgres.create_database(f"timeout_{uuid.uuid4().hex[:8]}")
    store = Store(url, statement_timeout_ms=settings.statement_timeout_ms)
    try:
        with store.transaction(write=False) as tx:
            assert tx.connection.execute(text("SHOW statement_timeout")).scalar_one() == "1234ms"
        with store.transaction() as tx, pytest.raises(Exception, match="statement timeout"):
            tx.connection.execute(text("SELECT pg_sleep(3)"))
    finally:
        store.close()


def test_prepared_statements_outlive_rollbacks_and_the_slow_path(postgres: Postgres) -> None:
    """The hot statements are prepared on each connection once (storage/postgres.py). psycopg's own statements
    (SQLAlchemy's slow path) are never prepared, for psycopg would then DEALLOCATE ALL after a rollback, the
    hot statements with its own; one transaction after another, on the pool's one connection."""
    store = Store(postgres.create_database(f"prepared_{uuid.uuid4().hex[:8]}"))
    try:
        store.migrate()
        with store.transaction() as tx:
            tx.connection.execute(server_secrets.insert().values(name="s", value="v", created=datetime.now(UTC)))
        for _ in range(3):
            with store.transaction(write=False) as tx:
                assert tx.keys.server_secret("s", lambda: "other", datetime.now(UTC)) == "v"  # prepared, then run
            for _ in range(6):  # past psycopg's default prepare_threshold (5)
                with store.transaction() as tx:
                    assert tx.connection.execute(text("SELECT 1")).scalar_one() == 1
            with pytest.raises(RuntimeError), store.transaction() as tx:
                tx.connection.execute(text("SELECT 1"))
                assert tx.keys.signing_keys("no-such-pool") == []  # prepared in a transaction rolled back
                raise RuntimeError("rolled back")
        with store.transaction(write=False) as tx:
            assert tx.keys.signing_keys("no-such-pool") == []
            assert len(tx.wire.prepared) == 2  # the same connection all along, its statements still there
    finally:
        store.close()


def test_a_connection_dropped_under_a_prepared_statement_is_discarded(postgres: Postgres) -> None:
    """The hot statements run on libpq directly (storage/postgres.py), where SQLAlchemy cannot see the connection
    die: the error must still say the connection is gone, so that the request runs again, and the pool's other
    connections, opened before it, must be replaced too rather than failing one request each."""
    store = Store(postgres.create_database(f"wire_{uuid.uuid4().hex[:8]}"), pool_size=3)
    admin = Store(postgres.url())
    try:
        store.migrate()
        with store.transaction() as a, store.transaction() as b, store.transaction() as c:
            for tx in (a, b, c):  # three pooled connections, each with the statement prepared
                assert tx.keys.signing_keys("no-such-pool") == []
        with admin.engine.connect() as connection:
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :db"),
                {"db": store.engine.url.database},
            )
        with pytest.raises(DBAPIError) as raised, store.transaction(write=False) as tx:
            tx.keys.signing_keys("no-such-pool")
        assert raised.value.connection_invalidated
        assert is_transient(raised.value)
        for _ in range(3):  # the two others, dead too, are replaced at checkout
            with store.transaction(write=False) as tx:
                assert tx.keys.signing_keys("no-such-pool") == []
    finally:
        admin.close()
        store.close()


def test_requests_survive_connections_dropped_by_the_server(postgres: Postgres) -> None:
    """No pre-ping per checkout: a pooled connection found dead is discarded and the request run again."""
    url = postgres.create_database(f"dropped_{uuid.uuid4().hex[:8]}")
    server = Server(url)
    admin = Store(postgres.url())
    try:
        cognito = client_for(server.url)
        pool = cognito.create_user_pool(PoolName="dropped")["UserPool"]["Id"]
        for i in range(20):
            cognito.admin_create_user(UserPoolId=pool, Username=f"u{i}", MessageAction="SUPPRESS")
        with admin.engine.connect() as connection:
            dropped = connection.execute(
                text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :db"),
                {"db": url.rsplit("/", 1)[1]},
            ).scalar_one()
        assert dropped >= 1
        for i in range(20):
            assert cognito.admin_get_user(UserPoolId=pool, Username=f"u{i}")["Username"] == f"u{i}"
            cognito.admin_create_user(UserPoolId=pool, Username=f"v{i}", MessageAction="SUPPRESS")
    finally:
        admin.close()
        server.stop()


def test_sqlite_log_is_checkpointed_and_bounded_under_steady_writes(tmp_path: Path) -> None:
    """Pooled connections never checkpoint (the Checkpointer thread does); writes that never pause still
    leave the write-ahead log bounded, and their rows reach the database file."""
    database = tmp_path / "steady.db"
    store = Store(f"sqlite:///{database}")
    store.migrate()
    assert store._checkpointer is not None
    store._checkpointer.limit = 200  # pages: small, so the bound is reached within the test
    wal = Path(f"{database}-wal")
    stop = threading.Event()
    sizes: list[int] = []

    rows = 8000  # 16 MB of values: twenty times the log's limit, so an unbounded log could not hide

    def write() -> None:
        now = datetime.now(UTC)
        for n in range(rows):
            with store.transaction() as tx:
                tx.connection.execute(server_secrets.insert().values(name=f"k{n}", value="x" * 2000, created=now))
            if n % 50 == 0:
                sizes.append(wal.stat().st_size)
        stop.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        stop.wait(120)
    finally:
        writer.join()
    with store.transaction(write=False) as tx:
        written = tx.connection.execute(text("SELECT count(*) FROM server_secrets")).scalar_one()
        pragma = tx.connection.execute(text("PRAGMA wal_autocheckpoint")).scalar_one()
    store.close()
    assert pragma == 0
    assert written == rows
    # Without the checkpoints the log would hold every row written. With them it is started afresh once a
    # writer finishes a checkpoint, so its high-water mark stays below that. How far below depends on how
    # often the checkpoint thread gets a core (a fixed bound in bytes failed on a loaded machine), so the
    # bound is a share of what was written, not a size.
    assert max(sizes) < written * 2000 * 0.9, sizes
    assert database.stat().st_size > written * 2000  # the rows are in the database file, not only the log
