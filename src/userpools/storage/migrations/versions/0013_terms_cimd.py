"""terms, cimd_policies: terms documents and CIMD policies per app client (issue 22)

Revision ID: 0013_terms_cimd
Revises: 0004
Create Date: 2026-12-02 06:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_terms_cimd"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "terms",
        sa.Column("terms_id", sa.String(length=36), nullable=False),
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("enforcement", sa.String(length=16), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], name=op.f("fk_terms_pool_id_pools"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("terms_id", name=op.f("pk_terms")),
        sa.UniqueConstraint("pool_id", "client_id", "name", name=op.f("uq_terms_pool_id_client_id_name")),
    )
    op.create_index(op.f("ix_terms_pool_id_terms_id"), "terms", ["pool_id", "terms_id"])
    op.create_table(
        "cimd_policies",
        sa.Column("policy_id", sa.String(length=64), nullable=False),
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("cache_duration", sa.Integer(), nullable=False),
        sa.Column("patterns", sa.JSON(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pools.id"], name=op.f("fk_cimd_policies_pool_id_pools"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("policy_id", name=op.f("pk_cimd_policies")),
    )
    op.create_index(op.f("ix_cimd_policies_pool_id_policy_id"), "cimd_policies", ["pool_id", "policy_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_cimd_policies_pool_id_policy_id"), table_name="cimd_policies")
    op.drop_table("cimd_policies")
    op.drop_index(op.f("ix_terms_pool_id_terms_id"), table_name="terms")
    op.drop_table("terms")
