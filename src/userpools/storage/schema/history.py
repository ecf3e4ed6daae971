"""Point-in-time recovery and replicas: rows before each change, recoveries, replicas."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Table, Text

from userpools.storage.schema.types import RowId, SortedText, Timestamp, metadata
from userpools.storage.schema.users import users

history_users = Table(
    "history_users",
    metadata,
    Column("seq", RowId, primary_key=True, autoincrement=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("at", Timestamp(), nullable=False),
    Column("user_id", RowId, nullable=False),  # the row's id then; a restored user gets it back
    Column("username", String(128), nullable=False),
    Column("username_key", SortedText, nullable=False),
    Column("sub", String(36), nullable=False),
    Column("status", String(32), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("attributes", JSON, nullable=False),
    Column("mfa", JSON, nullable=False),
    Column("password_salt", String(64)),
    Column("password_verifier", Text),
    Column("password_expires", Timestamp()),
    Column("created", Timestamp(), nullable=False),
    Column("modified", Timestamp(), nullable=False),
    Index(None, "pool_id", "at"),
)

history_groups = Table(
    "history_groups",
    metadata,
    Column("seq", RowId, primary_key=True, autoincrement=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("at", Timestamp(), nullable=False),
    Column("name", String(128), nullable=False),
    Column("description", String(2048)),
    Column("role_arn", String(2048)),
    Column("precedence", Integer),
    Column("created", Timestamp(), nullable=False),
    Column("modified", Timestamp(), nullable=False),
    Index(None, "pool_id", "at"),
)

history_members = Table(
    "history_members",
    metadata,
    Column("seq", RowId, primary_key=True, autoincrement=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("at", Timestamp(), nullable=False),
    Column("group_name", String(128), nullable=False),
    Column("user_id", RowId, nullable=False),
    Column("present", Boolean, nullable=False),  # whether the membership existed before the change
    Index(None, "pool_id", "at"),
)

# Point-in-time recoveries (operations/recovery.py): one row each, newest first by ``initiated``.
pool_recoveries = Table(
    "pool_recoveries",
    metadata,
    Column("restore_id", String(36), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(48), nullable=False),
    Column("restore_at", Timestamp(), nullable=False),
    Column("trigger_at", Timestamp(), nullable=False),
    Column("preview", JSON),
    Column("finished", Timestamp()),
    Index(None, "pool_id", "trigger_at"),
    Index(None, "status"),
)

# Replicas of a pool in other regions (operations/replicas.py): the same rows serve every region.
pool_replicas = Table(
    "pool_replicas",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("region", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("tags", JSON, nullable=False),
    Column("created", Timestamp(), nullable=False),
    Column("modified", Timestamp(), nullable=False),
    PrimaryKeyConstraint("pool_id", "region"),
)

# Point-in-time recovery (storage/history.py): a user's, group's or membership's state before each change,
# appended by the writing transaction itself and kept for the retention window. A user or group created
# after the recovery point is found by its ``created`` (the index below), so creating one writes nothing here.
Index(None, users.c.pool_id, users.c.created)
