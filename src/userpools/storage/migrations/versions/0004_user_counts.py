"""user counts: pool_user_counts (EstimatedNumberOfUsers without counting), filled from existing users

Revision ID: 0004
Revises: 0002, 0003
Create Date: 2026-11-26 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = ("0002", "0003")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pool_user_counts",
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("shard", sa.Integer(), nullable=False),
        sa.Column("users", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pools.id"], name=op.f("fk_pool_user_counts_pool_id_pools"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pool_id", "shard", name=op.f("pk_pool_user_counts")),
    )
    op.execute(
        "INSERT INTO pool_user_counts (pool_id, shard, users) SELECT pool_id, 0, count(*) FROM users GROUP BY pool_id"
    )


def downgrade() -> None:
    op.drop_table("pool_user_counts")
