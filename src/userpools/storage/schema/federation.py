"""Federation: identity providers, their identifiers, linked users, SAML certificates, sign-ins in flight."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, ForeignKeyConstraint, Index, PrimaryKeyConstraint, String, Table, Text

from userpools.storage.schema.types import RowId, Timestamp, metadata

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
