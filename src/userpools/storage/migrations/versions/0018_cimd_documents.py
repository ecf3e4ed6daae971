"""cimd_documents: the client metadata document URLs each CIMD policy received, with their cached documents;
authorization codes and OAuth grants remember the CIMD client URL they were issued to (issue 22)

Revision ID: 0018_cimd_documents
Revises: 0014_history_replicas (and needs 0008_oauth, 0013_terms_cimd)
Create Date: 2026-12-02 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from userpools.storage.schema import Timestamp

revision = "0018_cimd_documents"
down_revision = "0014_history_replicas"
branch_labels = None
depends_on = ("0008_oauth", "0013_terms_cimd")  # the tables it alters and refers to


def upgrade() -> None:
    op.create_table(
        "cimd_documents",
        sa.Column("policy_id", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=256), nullable=False),
        sa.Column("document", sa.JSON(), nullable=True),
        sa.Column("cached", Timestamp(), nullable=True),
        sa.Column("expires", Timestamp(), nullable=True),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["cimd_policies.policy_id"],
            name=op.f("fk_cimd_documents_policy_id_cimd_policies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("policy_id", "url", name=op.f("pk_cimd_documents")),
    )
    # 0008 creates its tables as storage/schema.py declares them now: on a new database they have the column.
    inspector = sa.inspect(op.get_bind())
    for table in ("authorization_codes", "oauth_grants"):
        if "metadata_url" not in {c["name"] for c in inspector.get_columns(table)}:
            with op.batch_alter_table(table) as batch:
                batch.add_column(sa.Column("metadata_url", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("oauth_grants") as batch:
        batch.drop_column("metadata_url")
    with op.batch_alter_table("authorization_codes") as batch:
        batch.drop_column("metadata_url")
    op.drop_table("cimd_documents")
