"""OAuth 2.0, OIDC and managed login: domains, resource servers, branding, codes, login sessions, terms,
client metadata documents."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
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

# A pool's domains: at most one prefix domain and one custom domain each; a name belongs to one pool.
domains = Table(
    "domains",
    metadata,
    Column("domain", String(255), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("custom", Boolean, nullable=False),
    Column("config", JSON, nullable=False),  # ManagedLoginVersion, CustomDomainConfig
    Column("created", Timestamp(), nullable=False),
    UniqueConstraint("pool_id", "custom"),
)

resource_servers = Table(
    "resource_servers",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("identifier", String(256), nullable=False),
    Column("name", String(256), nullable=False),
    Column("scopes", JSON, nullable=False),
    PrimaryKeyConstraint("pool_id", "identifier"),
)

# SetUICustomization's CSS and logo, per pool ("ALL") or per app client.
ui_customizations = Table(
    "ui_customizations",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("css", Text),
    Column("image", Text),  # base64 of the logo
    Column("created", Timestamp(), nullable=False),
    Column("modified", Timestamp(), nullable=False),
    PrimaryKeyConstraint("pool_id", "client_id"),
)

# Managed login (version 2) branding styles: one per app client.
login_brandings = Table(
    "login_brandings",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("use_cognito", Boolean, nullable=False),
    Column("settings", JSON),
    Column("assets", JSON, nullable=False),  # AssetType list, Bytes as base64
    Column("created", Timestamp(), nullable=False),
    Column("modified", Timestamp(), nullable=False),
    UniqueConstraint("pool_id", "client_id"),
)

# Authorization codes of /oauth2/authorize, stored hashed: single use, short-lived, bound to their client,
# redirect URI and PKCE challenge.
authorization_codes = Table(
    "authorization_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("redirect_uri", Text, nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("nonce", Text),
    Column("challenge", String(128)),
    Column("challenge_method", String(16)),
    Column("auth_time", Timestamp(), nullable=False),
    Column("expires", Timestamp(), nullable=False),
    Column("metadata_url", Text),  # a CIMD client's client_id URL: only it redeems the code
    Index(None, "expires"),
)

# Managed login sessions (the cookie of a domain), stored hashed.
login_sessions = Table(
    "login_sessions",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("auth_time", Timestamp(), nullable=False),
    Column("expires", Timestamp(), nullable=False),
    Index(None, "user_id"),
    Index(None, "expires"),
)

# The OAuth scopes a sign-in through /oauth2 was granted, by its origin_jti: its refreshes keep them.
oauth_grants = Table(
    "oauth_grants",
    metadata,
    Column("origin_jti", String(64), primary_key=True),
    Column("scopes", JSON, nullable=False),
    Column("metadata_url", Text),  # a CIMD client's client_id URL: only it refreshes at /oauth2/token
)

# CreateTerms: terms-of-use and privacy-policy links per app client (one set of each per client).
terms = Table(
    "terms",
    metadata,
    Column("terms_id", String(36), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("name", String(32), nullable=False),
    Column("source", String(16), nullable=False),
    Column("enforcement", String(16), nullable=False),
    Column("links", JSON, nullable=False),
    Column("created", Timestamp(), nullable=False),
    Column("modified", Timestamp(), nullable=False),
    UniqueConstraint("pool_id", "client_id", "name"),
    Index(None, "pool_id", "terms_id"),
)

# CreateCIMDPolicy: URL patterns of client ID metadata documents accepted for one app client.
cimd_policies = Table(
    "cimd_policies",
    metadata,
    Column("policy_id", String(64), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("name", String(32), nullable=False),
    Column("cache_duration", Integer, nullable=False),
    Column("patterns", JSON, nullable=False),
    Column("created", Timestamp(), nullable=False),
    Column("modified", Timestamp(), nullable=False),
    Index(None, "pool_id", "policy_id"),
)

# The client metadata document URLs a CIMD policy has received (ListClientMetadataURLs), each with its cached
# document: none (no CachedDate) until a fetch succeeds, and again after INVALIDATE.
cimd_documents = Table(
    "cimd_documents",
    metadata,
    Column("policy_id", String(64), ForeignKey("cimd_policies.policy_id", ondelete="CASCADE"), nullable=False),
    Column("url", String(256), nullable=False),
    Column("document", JSON),
    Column("cached", Timestamp()),
    Column("expires", Timestamp()),
    PrimaryKeyConstraint("policy_id", "url"),
)
