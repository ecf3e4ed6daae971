"""Alembic migrations, applied at start-up. Several instances starting at once take turns (PostgreSQL lock)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from userpools.domain.sealing import Keyring

_LOCK_ID = 0x75736572  # "user"


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return cfg


def upgrade(engine: Engine, keyring: Keyring | None = None) -> None:
    cfg = config()
    cfg.attributes["keyring"] = keyring
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")  # feature branches may add parallel heads
