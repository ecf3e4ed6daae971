"""oauth: domains, resource servers, UI customization and branding, authorization codes, login sessions

Revision ID: 0008_oauth
Revises: 0004
Create Date: 2026-12-01 23:10:00
"""

from __future__ import annotations

from alembic import op

from userpools.storage import schema

revision = "0008_oauth"
down_revision = "0004"
branch_labels = None
depends_on = None

# New tables only, created as storage/schema.py declares them at this revision.
TABLES = [
    schema.domains,
    schema.resource_servers,
    schema.ui_customizations,
    schema.login_brandings,
    schema.authorization_codes,
    schema.login_sessions,
    schema.oauth_grants,
]


def upgrade() -> None:
    schema.metadata.create_all(op.get_bind(), tables=TABLES)


def downgrade() -> None:
    schema.metadata.drop_all(op.get_bind(), tables=list(reversed(TABLES)))
