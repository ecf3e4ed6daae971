"""Alembic environment: runs on the connection handed over by userpools.storage.migrate."""

from __future__ import annotations

from alembic import context

from userpools.storage.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("userpools migrations run through userpools.storage.migrate.upgrade(engine)")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
