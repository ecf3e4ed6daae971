"""Session tracking: per pool and per client settings, tracked sessions and their refresh tokens."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from userpools.storage.schema.types import RowId, Timestamp, metadata

# Session tracking (SetUserPoolSessionConfiguration, SetUserPoolClientSessionConfiguration); no row: the defaults.
session_configs = Table(
    "session_configs",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    Column("tracking", String(16), nullable=False),
    Column("max_per_user", Integer, nullable=False),
)

client_session_configs = Table(
    "client_session_configs",
    metadata,
    Column("client_id", String(128), ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
    Column("max_validity_minutes", Integer, nullable=False),
)

# Tracked sessions: a TOKEN session per refresh-token family, an SSO session per managed login cookie.
user_sessions = Table(
    "user_sessions",
    metadata,
    Column("id", String(28), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("client_id", String(128)),
    Column("created", Timestamp(), nullable=False),
    Column("last_active", Timestamp(), nullable=False),
    Column("device", String(1024)),
    Column("ip", String(128)),
    Column("origin_session_id", String(28)),
    Column("login_key_hash", String(64)),  # an SSO session's login_sessions row
    Index(None, "user_id", "last_active"),
    Index(None, "origin_session_id"),
    Index(None, "login_key_hash"),
)

# The refresh tokens (by origin_jti) of a token session: its first, and each one rotated in after it.
session_tokens = Table(
    "session_tokens",
    metadata,
    Column("origin_jti", String(64), primary_key=True),
    Column("session_id", String(28), ForeignKey("user_sessions.id", ondelete="CASCADE"), nullable=False),
    Index(None, "session_id"),
)
