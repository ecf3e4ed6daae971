"""What the server sends: the outbox of every message."""

from __future__ import annotations

from sqlalchemy import Column, Index, String, Table, Text

from userpools.storage.schema.types import RowId, Timestamp, metadata

outbox = Table(
    "outbox",
    metadata,
    Column("id", RowId, primary_key=True, autoincrement=True),
    Column("pool_id", String(55), nullable=False),
    Column("username", String(128), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("medium", String(8), nullable=False),
    Column("destination", Text, nullable=False),  # sealed (domain/outbox.py)
    Column("destination_key", String(80)),  # keyed digest of the destination: ?destination= looks it up
    Column("subject", Text),  # sealed
    Column("body", Text, nullable=False),  # sealed (domain/sealing.py), or "" when not kept
    Column("code", Text),  # sealed
    Column("status", String(32), nullable=False),
    Column("created", Timestamp(), nullable=False),
    Index(None, "pool_id", "username"),
    Index(None, "destination_key"),
    Index(None, "created"),  # retention: storage/outbox.py purge
)
