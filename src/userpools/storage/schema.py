"""The tables. Uniqueness rules (usernames, subs, aliases, group names) are constraints here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Row ids: BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite.
RowId = BigInteger().with_variant(Integer(), "sqlite")
# Values compared by prefix must sort bytewise on every backend.
SortedText = String().with_variant(String(collation="C"), "postgresql")


class Timestamp(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    # On SQLite, the text SQLAlchemy's DATETIME stores ("2026-01-02 03:04:05.000006", UTC here) made and
    # read in one C call each: its own processors format through a dict, slower, and there are three per user row.
    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is UTC:  # the clock's: its text ends "+00:00"
                return value.isoformat(" ", "microseconds")[:-6]
            if value.tzinfo is not None:
                value = value.astimezone(UTC).replace(tzinfo=None)
            return value.isoformat(" ", "microseconds")

        return process

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def process(value: str | None) -> datetime | None:
            return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)

        return process


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

# --- sign-in (issue 3) --------------------------------------------------------------------------------

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

# --- Cloud Control (issue 5) ----------------------------------------------------------------------------

# Cloud Control resource requests: each CreateResource/UpdateResource/DeleteResource and its final
# ProgressEvent, so GetResourceRequestStatus answers after a restart and ClientTokens are idempotent.
resource_requests = Table(
    "resource_requests",
    metadata,
    Column("id", RowId, primary_key=True, autoincrement=True),
    Column("request_token", String(128), nullable=False, unique=True),
    Column("client_token", String(128), unique=True),
    Column("fingerprint", String(64), nullable=False),
    Column("type_name", String(196), nullable=False),
    Column("identifier", String(1024)),
    Column("operation", String(16), nullable=False),
    Column("status", String(32), nullable=False),
    Column("error_code", String(64)),
    Column("status_message", Text),
    Column("resource_model", Text),
    Column("event_time", Timestamp(), nullable=False),
    Index(None, "operation", "status", "id"),
)

# --- operations people script (issue 21) ------------------------------------------------------------------

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

# A pool's log delivery configuration (SetLogDeliveryConfiguration), as given.
log_delivery = Table(
    "log_delivery",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    Column("configurations", JSON, nullable=False),
)

# Provisioned request-rate limits by API category (UpdateProvisionedLimit), for the whole server.
provisioned_limits = Table(
    "provisioned_limits",
    metadata,
    Column("category", String(64), primary_key=True),
    Column("value", Integer, nullable=False),
)

# --- MFA and remembered devices (issue 17) --------------------------------------------------------------

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

# --- OAuth 2.0, OIDC and managed login (issue 18) -------------------------------------------------------

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
)

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

# User import jobs (CreateUserImportJob). A running job is leased by one instance (lease_owner, lease_until);
# ``position`` counts the data lines it has finished, committed with the users they made.
import_jobs = Table(
    "import_jobs",
    metadata,
    Column("id", String(55), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(128), nullable=False),
    Column("role_arn", String(2048), nullable=False),
    Column("hashing", String(32)),
    Column("status", String(16), nullable=False),
    Column("created", Timestamp(), nullable=False),
    Column("started", Timestamp()),
    Column("completed", Timestamp()),
    Column("imported", BigInteger, nullable=False),
    Column("skipped", BigInteger, nullable=False),
    Column("failed", BigInteger, nullable=False),
    Column("message", String(128)),
    Column("position", BigInteger, nullable=False),
    Column("uploaded", BigInteger),  # bytes of the CSV file; None: nothing uploaded yet
    Column("lease_owner", String(64)),
    Column("lease_until", Timestamp()),
    Index(None, "pool_id", "created", "id"),
    Index(None, "status"),
)

# The uploaded CSV file, in pieces of up to 1 MiB in order.
import_chunks = Table(
    "import_chunks",
    metadata,
    Column("job_id", String(55), ForeignKey("import_jobs.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("job_id", "seq"),
)

# The rows a job could not import, with why (Cognito writes them to the job's CloudWatch log).
import_failures = Table(
    "import_failures",
    metadata,
    Column("job_id", String(55), ForeignKey("import_jobs.id", ondelete="CASCADE"), nullable=False),
    Column("line", BigInteger, nullable=False),
    Column("username", String(256), nullable=False),
    Column("message", Text, nullable=False),
    PrimaryKeyConstraint("job_id", "line"),
)

# SetRiskConfiguration: per pool (client_id "ALL") or per app client.
risk_configs = Table(
    "risk_configs",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("config", JSON, nullable=False),
    Column("modified", Timestamp(), nullable=False),
    PrimaryKeyConstraint("pool_id", "client_id"),
)

# Auth events of pools with threat protection (AdvancedSecurityMode AUDIT or ENFORCED).
auth_events = Table(
    "auth_events",
    metadata,
    Column("id", String(50), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created", Timestamp(), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("response", String(16), nullable=False),
    Column("risk_decision", String(16), nullable=False),
    Column("risk_level", String(8)),
    Column("compromised", Boolean, nullable=False),
    Column("challenges", JSON, nullable=False),
    Column("ip", String(128)),
    Column("device", String(1024)),
    Column("feedback_value", String(8)),
    Column("feedback_provider", String(32)),
    Column("feedback_date", Timestamp()),
    Column("feedback_token", String(160)),  # the keyed digest of the event's FeedbackToken
    Index(None, "user_id", "created"),
)

# Identity providers of a pool (CreateIdentityProvider): ProviderDetails without its secrets, which are kept
# sealed in ``secrets`` (a sealed JSON object of client_secret / private_key).
identity_providers = Table(
    "identity_providers",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(32), nullable=False),
    Column("type", String(32), nullable=False),
    Column("details", JSON, nullable=False),
    Column("secrets", Text),
    Column("attribute_mapping", JSON, nullable=False),
    Column("idp_identifiers", JSON, nullable=False),
    Column("created", Timestamp(), nullable=False),
    Column("modified", Timestamp(), nullable=False),
    PrimaryKeyConstraint("pool_id", "name"),
)

# IdpIdentifiers, unique within a pool, so GetIdentityProviderByIdentifier is one key lookup.
idp_identifiers = Table(
    "idp_identifiers",
    metadata,
    Column("pool_id", String(55), nullable=False),
    Column("identifier", String(40), nullable=False),
    Column("provider_name", String(32), nullable=False),
    PrimaryKeyConstraint("pool_id", "identifier"),
    ForeignKeyConstraint(
        ["pool_id", "provider_name"],
        ["identity_providers.pool_id", "identity_providers.name"],
        ondelete="CASCADE",
    ),
    Index(None, "pool_id", "provider_name"),
)

# AdminLinkProviderForUser: an identity of an external provider signs in as a native user.
provider_links = Table(
    "provider_links",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("provider_name", String(32), nullable=False),
    Column("attribute_name", String(128), nullable=False),
    Column("attribute_value", String(2048), nullable=False),
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created", Timestamp(), nullable=False),
    PrimaryKeyConstraint("pool_id", "provider_name", "attribute_name", "attribute_value"),
    Index(None, "user_id"),
)

# The pool's SAML signing certificate (GetSigningCertificate), its private key sealed.
saml_certificates = Table(
    "saml_certificates",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    Column("certificate", Text, nullable=False),
    Column("private_pem", Text, nullable=False),
    Column("created", Timestamp(), nullable=False),
)

# A sign-in sent to an identity provider: its state (hashed), nonce and the authorization request to resume.
federation_states = Table(
    "federation_states",
    metadata,
    Column("state_hash", String(64), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("provider_name", String(32), nullable=False),
    Column("nonce", String(128), nullable=False),
    Column("query", Text, nullable=False),
    Column("expires", Timestamp(), nullable=False),
    Index(None, "expires"),
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

# Point-in-time recovery (storage/history.py): a user's, group's or membership's state before each change,
# appended by the writing transaction itself and kept for the retention window. A user or group created
# after the recovery point is found by its ``created`` (the index below), so creating one writes nothing here.
Index(None, users.c.pool_id, users.c.created)

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
