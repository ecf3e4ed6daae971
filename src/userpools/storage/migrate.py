"""Alembic migrations, applied at start-up. Several instances starting at once take turns (PostgreSQL lock)."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from userpools.domain.sealing import Keyring

_LOCK_ID = 0x75736572  # "user"


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return cfg


# Revisions from before 0005_sealed: a database at one of them holds secrets in clear that 0005 seals.
_BEFORE_SEALING = frozenset({"0001", "0002", "0003", "0004"})
# Where those secrets were (storage/sealed.py and migration 0005).
_HELD_CLEAR = ("clients", "signing_keys", "outbox", "codes", "server_secrets", "resource_requests")


def upgrade(engine: Engine, keyring: Keyring | None = None) -> None:
    cfg = config()
    cfg.attributes["keyring"] = keyring
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        sealing = bool(set(MigrationContext.configure(connection).get_current_heads()) & _BEFORE_SEALING)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")  # feature branches may add parallel heads
    if sealing:
        _discard_old_versions(engine)


def _discard_old_versions(engine: Engine) -> None:
    """Sealing updates rows, and the versions it replaced, in clear, stay in the files: PostgreSQL keeps dead
    tuples until a vacuum reuses their space, SQLite its free pages and cells. Rewrite the tables (PostgreSQL's
    VACUUM FULL writes a new file and drops the old one) or the file (SQLite's VACUUM), then checkpoint, so
    the write-ahead log that held them can be recycled. What an older version wrote to the WAL before, and
    backups taken before the upgrade, still hold them (SECURITY.md)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM FULL " + ", ".join(f'"{table}"' for table in _HELD_CLEAR)))
            with suppress(DBAPIError):  # needs superuser or pg_checkpoint: the server's own checkpoints follow
                connection.execute(text("CHECKPOINT"))
        return
    raw = engine.raw_connection()  # the engine's connections BEGIN on their own (engine.py): not for VACUUM
    try:
        driver: Any = raw.driver_connection
        driver.commit()
        level, driver.isolation_level = driver.isolation_level, None
        try:
            driver.execute("VACUUM")
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            driver.isolation_level = level
    finally:
        raw.close()
