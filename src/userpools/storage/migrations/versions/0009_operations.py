"""operations: client_secrets, refresh_rotations, log_delivery, provisioned_limits (issue 21)

Revision ID: 0009_operations
Revises: 0004
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_operations"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_secrets",
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("secret_id", sa.String(length=160), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_secrets_client_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("client_id", "secret_id", name=op.f("pk_client_secrets")),
    )
    op.create_table(
        "refresh_rotations",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("rotated", sa.DateTime(timezone=True), nullable=False),
        sa.Column("successor_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["token_hash"],
            ["refresh_tokens.token_hash"],
            name=op.f("fk_refresh_rotations_token_hash_refresh_tokens"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_refresh_rotations")),
    )
    op.create_table(
        "log_delivery",
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("configurations", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pools.id"], name=op.f("fk_log_delivery_pool_id_pools"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pool_id", name=op.f("pk_log_delivery")),
    )
    op.create_table(
        "provisioned_limits",
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("category", name=op.f("pk_provisioned_limits")),
    )


def downgrade() -> None:
    op.drop_table("provisioned_limits")
    op.drop_table("log_delivery")
    op.drop_table("refresh_rotations")
    op.drop_table("client_secrets")
