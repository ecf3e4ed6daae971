"""Pools, their users and groups: the tables every request reads. Uniqueness rules (usernames, subs, aliases,
group names) are constraints here, so concurrent requests cannot break them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from userpools.storage.schema.types import RowId, SortedText, Timestamp, metadata

pools = Table(
    "pools",
    metadata,
    Column("id", String(55), primary_key=True),
    Column("name", String(128), nullable=False),
    Column("config", JSON, nullable=False),
    Column("created", Timestamp(), nullable=False),
    Column("modified", Timestamp(), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", RowId, primary_key=True, autoincrement=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("username", String(128), nullable=False),
    Column("username_key", SortedText, nullable=False),
    Column("sub", String(36), nullable=False, unique=True),
    Column("status", String(32), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("attributes", JSON, nullable=False),
    Column("mfa", JSON, nullable=False),
    Column("password_salt", String(64)),
    Column("password_verifier", Text),
    Column("password_expires", Timestamp()),
    Column("created", Timestamp(), nullable=False),
    Column("modified", Timestamp(), nullable=False),
    UniqueConstraint("pool_id", "username_key"),
    Index(None, "pool_id", "id"),
    Index(None, "pool_id", "status", "id"),
)

# How many users each pool has (DescribeUserPool's EstimatedNumberOfUsers) without counting them: every
# insert and delete of a user adds to one of a few shard rows, so concurrent writers seldom wait on the
# same row; the count is the sum of at most USER_COUNT_SHARDS rows, whatever the pool's size.
pool_user_counts = Table(
    "pool_user_counts",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("shard", Integer, nullable=False),
    Column("users", BigInteger, nullable=False),
    PrimaryKeyConstraint("pool_id", "shard"),
)

# Filterable attributes, one row each, so ListUsers filters are index range scans.
user_index = Table(
    "user_index",
    metadata,
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("pool_id", String(55), nullable=False),
    Column("name", String(32), nullable=False),
    Column("value", SortedText, nullable=False),
    PrimaryKeyConstraint("user_id", "name"),
    Index(None, "pool_id", "name", "value", "user_id"),
)

# Sign-in aliases (verified email/phone, preferred_username, or the email/phone of username-attribute
# pools): the primary key makes each alias belong to at most one user.
aliases = Table(
    "aliases",
    metadata,
    Column("pool_id", String(55), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("value", SortedText, nullable=False),
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("pool_id", "kind", "value"),
    Index(None, "user_id"),
)

groups = Table(
    "groups",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(128), nullable=False),
    Column("description", String(2048)),
    Column("role_arn", String(2048)),
    Column("precedence", Integer),
    Column("created", Timestamp(), nullable=False),
    Column("modified", Timestamp(), nullable=False),
    PrimaryKeyConstraint("pool_id", "name"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("pool_id", String(55), nullable=False),
    Column("group_name", String(128), nullable=False),
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("pool_id", "group_name", "user_id"),
    ForeignKeyConstraint(
        ["pool_id", "group_name"], ["groups.pool_id", "groups.name"], ondelete="CASCADE", onupdate="CASCADE"
    ),
    Index(None, "user_id"),
)

# One-time codes (sign-up confirmation, password reset, attribute verification), stored as keyed digests.
codes = Table(
    "codes",
    metadata,
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("purpose", String(64), nullable=False),
    Column("code_hash", String(128), nullable=False),
    Column("expires", Timestamp(), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    PrimaryKeyConstraint("user_id", "purpose"),
)
