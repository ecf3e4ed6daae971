"""sessions, user import jobs, auth events and risk configuration (issue 21)

Revision ID: 0012_sessions_events_imports
Revises: 0004
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

from alembic import op

from userpools.storage import schema

revision = "0012_sessions_events_imports"
down_revision = "0004"
branch_labels = None
depends_on = None

# New tables only, created as storage/schema.py declares them at this revision.
TABLES = [
    schema.session_configs,
    schema.client_session_configs,
    schema.user_sessions,
    schema.session_tokens,
    schema.import_jobs,
    schema.import_chunks,
    schema.import_failures,
    schema.risk_configs,
    schema.auth_events,
]


def upgrade() -> None:
    schema.metadata.create_all(op.get_bind(), tables=TABLES)


def downgrade() -> None:
    schema.metadata.drop_all(op.get_bind(), tables=list(reversed(TABLES)))
