"""PostgreSQL connections: statement timeouts, and requests that outlive a dropped connection."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from tests.conftest import client_for
from tests.support import Postgres, Server
from userpools.storage.engine import Store


def test_statement_timeout_applies_to_every_connection(postgres: Postgres, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USERPOOLS_STATEMENT_TIMEOUT_MS", "1234")
    store = Store(postgres.create_database(f"timeout_{uuid.uuid4().hex[:8]}"))
    try:
        with store.transaction(write=False) as tx:
            assert tx.connection.execute(text("SHOW statement_timeout")).scalar_one() == "1234ms"
        with store.transaction() as tx, pytest.raises(Exception, match="statement timeout"):
            tx.connection.execute(text("SELECT pg_sleep(3)"))
    finally:
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
            dropped = connection.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :db"
            ), {"db": url.rsplit("/", 1)[1]}).scalar_one()
        assert dropped >= 1
        for i in range(20):
            assert cognito.admin_get_user(UserPoolId=pool, Username=f"u{i}")["Username"] == f"u{i}"
            cognito.admin_create_user(UserPoolId=pool, Username=f"v{i}", MessageAction="SUPPRESS")
    finally:
        admin.close()
        server.stop()
