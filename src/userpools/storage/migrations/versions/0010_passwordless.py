"""passwordless: webauthn_credentials (passkeys)

Revision ID: 0010_passwordless
Revises: 0004
Create Date: 2026-12-02 05:20:00
"""

from __future__ import annotations

from alembic import op

from userpools.storage import schema

revision = "0010_passwordless"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = [schema.webauthn_credentials]


def upgrade() -> None:
    schema.metadata.create_all(op.get_bind(), tables=TABLES)


def downgrade() -> None:
    schema.metadata.drop_all(op.get_bind(), tables=list(reversed(TABLES)))
