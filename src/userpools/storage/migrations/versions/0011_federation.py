"""federation: identity providers, their identifiers, and links of external identities to native users

Revision ID: 0011_federation
Revises: 0004
Create Date: 2026-12-02 06:40:00
"""

from __future__ import annotations

from alembic import op

from userpools.storage import schema

revision = "0011_federation"
down_revision = "0004"
branch_labels = None
depends_on = None

# New tables only, created as storage/schema.py declares them at this revision.
TABLES = [
    schema.identity_providers,
    schema.idp_identifiers,
    schema.provider_links,
    schema.saml_certificates,
    schema.federation_states,
]


def upgrade() -> None:
    schema.metadata.create_all(op.get_bind(), tables=TABLES)


def downgrade() -> None:
    schema.metadata.drop_all(op.get_bind(), tables=list(reversed(TABLES)))
