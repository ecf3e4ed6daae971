"""Sign-in: app clients, keys, challenge state, refresh tokens, lockouts, remembered devices and passkeys."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from userpools.storage.schema.types import RowId, Timestamp, metadata

# App clients. The secret (when generated) is sealed under the master key (domain/sealing.py): Cognito shows
# it again in DescribeUserPoolClient and SECRET_HASH needs it as an HMAC key, so a one-way hash cannot serve.
clients = Table(
    "clients",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(128), nullable=False),
    Column("secret", Text),
    Column("config", JSON, nullable=False),
    Column("created", Timestamp(), nullable=False),
    Column("modified", Timestamp(), nullable=False),
    Index(None, "pool_id", "id"),
)

# Server-wide values created on first use (before migration 0005, the Fernet key of client secrets).
server_secrets = Table(
    "server_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("created", Timestamp(), nullable=False),
)

# Per-pool RS256 signing keys. Every key is published in the JWKS; the newest active one signs.
signing_keys = Table(
    "signing_keys",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("kid", String(64), nullable=False),
    Column("private_pem", Text, nullable=False),  # sealed
    Column("active", Boolean, nullable=False),
    Column("created", Timestamp(), nullable=False),
    PrimaryKeyConstraint("pool_id", "kid"),
)

# Auth flow state between InitiateAuth and RespondToAuthChallenge (SRP b/B/A, pending challenges),
# keyed by the hash of the Session (or of the SRP secret block); single-use, short-lived.
auth_sessions = Table(
    "auth_sessions",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("challenge", String(64), nullable=False),
    Column("state", JSON, nullable=False),
    Column("expires", Timestamp(), nullable=False),
    Index(None, "expires"),
)

# Refresh tokens, stored hashed. origin_jti ties the access and ID tokens of one sign-in to its row, so
# revoking the row (RevokeToken, GlobalSignOut) revokes them too.
refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("origin_jti", String(64), nullable=False, unique=True),
    Column("pool_id", String(55), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("auth_time", Timestamp(), nullable=False),
    Column("expires", Timestamp(), nullable=False),
    Column("revoked", Boolean, nullable=False),
    Index(None, "user_id"),
)

# Consecutive failed password attempts per user, and the lockout they earned.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("locked_until", Timestamp()),
)

# Client secrets of a rotated client (AddUserPoolClientSecret), Fernet-encrypted as clients.secret is.
# Once a client's secrets are rotated its original secret is a row here too; clients.secret keeps the
# one DescribeUserPoolClient shows, always one of these rows.
client_secrets = Table(
    "client_secrets",
    metadata,
    Column("client_id", String(128), ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    Column("secret_id", String(160), nullable=False),
    Column("sealed", Text, nullable=False),
    Column("created", Timestamp(), nullable=False),
    PrimaryKeyConstraint("client_id", "secret_id"),
)

# Refresh-token rotation: a rotated-out token, when it was rotated and the token that replaced it (the
# grace period and reuse detection read it; reuse revokes the chain of successors).
refresh_rotations = Table(
    "refresh_rotations",
    metadata,
    Column("token_hash", String(64), ForeignKey("refresh_tokens.token_hash", ondelete="CASCADE"), primary_key=True),
    Column("rotated", Timestamp(), nullable=False),
    Column("successor_hash", String(64), nullable=False),
)

# Devices a user signed in from (NewDeviceMetadata): confirmed with the device's SRP salt and verifier
# (ConfirmDevice; never the device password), remembered or not. They go with their user.
devices = Table(
    "devices",
    metadata,
    Column("device_key", String(55), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("group_key", String(64), nullable=False),
    Column("salt", Text),
    Column("verifier", Text),
    Column("name", String(1024)),
    Column("confirmed", Boolean, nullable=False),
    Column("remembered", Boolean, nullable=False),
    Column("created", Timestamp(), nullable=False),
    Column("modified", Timestamp(), nullable=False),
    Column("last_authenticated", Timestamp()),
    Index(None, "user_id", "device_key"),
)

# Passkeys (WebAuthn credentials), one row each, deleted with their user. The public key is no secret; the
# credential id is unique within its pool (an authenticator presents it when signing in).
webauthn_credentials = Table(
    "webauthn_credentials",
    metadata,
    Column("id", RowId, primary_key=True, autoincrement=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("credential_id", String(1400), nullable=False),  # base64url of up to 1023 bytes
    Column("public_key", Text, nullable=False),  # base64url of the COSE key
    Column("sign_count", BigInteger, nullable=False),
    Column("rp_id", String(127), nullable=False),
    Column("friendly_name", String(256), nullable=False),
    Column("attachment", String(32)),
    Column("transports", JSON, nullable=False),
    Column("created", Timestamp(), nullable=False),
    UniqueConstraint("pool_id", "credential_id"),
    Index(None, "user_id", "id"),
)
