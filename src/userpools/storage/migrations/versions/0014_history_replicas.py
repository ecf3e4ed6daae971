"""history and replicas: the change history of users, groups and memberships (point-in-time recovery),
the recoveries themselves, and pool replicas in other regions (issue 22)

Revision ID: 0014_history_replicas
Revises: 0004
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from userpools.storage.schema import RowId, SortedText, Timestamp

revision = "0014_history_replicas"
down_revision = "0004"
branch_labels = None
depends_on = None


def _history(name: str, *columns: sa.Column[object]) -> None:
    op.create_table(
        name,
        sa.Column("seq", RowId, autoincrement=True, nullable=False),
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("at", Timestamp(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], name=op.f(f"fk_{name}_pool_id_pools"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("seq", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_pool_id_at"), name, ["pool_id", "at"])


def upgrade() -> None:
    op.create_index(op.f("ix_users_pool_id_created"), "users", ["pool_id", "created"])
    _history(
        "history_users",
        sa.Column("user_id", RowId, nullable=False),
        sa.Column("username", sa.String(length=128), nullable=False),
        sa.Column("username_key", SortedText, nullable=False),
        sa.Column("sub", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("mfa", sa.JSON(), nullable=False),
        sa.Column("password_salt", sa.String(length=64)),
        sa.Column("password_verifier", sa.Text()),
        sa.Column("password_expires", Timestamp()),
        sa.Column("created", Timestamp(), nullable=False),
        sa.Column("modified", Timestamp(), nullable=False),
    )
    _history(
        "history_groups",
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("description", sa.String(length=2048)),
        sa.Column("role_arn", sa.String(length=2048)),
        sa.Column("precedence", sa.Integer()),
        sa.Column("created", Timestamp(), nullable=False),
        sa.Column("modified", Timestamp(), nullable=False),
    )
    _history(
        "history_members",
        sa.Column("group_name", sa.String(length=128), nullable=False),
        sa.Column("user_id", RowId, nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "pool_recoveries",
        sa.Column("restore_id", sa.String(length=36), nullable=False),
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("status", sa.String(length=48), nullable=False),
        sa.Column("restore_at", Timestamp(), nullable=False),
        sa.Column("trigger_at", Timestamp(), nullable=False),
        sa.Column("preview", sa.JSON()),
        sa.Column("finished", Timestamp()),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pools.id"], name=op.f("fk_pool_recoveries_pool_id_pools"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("restore_id", name=op.f("pk_pool_recoveries")),
    )
    op.create_index(op.f("ix_pool_recoveries_pool_id_trigger_at"), "pool_recoveries", ["pool_id", "trigger_at"])
    op.create_index(op.f("ix_pool_recoveries_status"), "pool_recoveries", ["status"])
    op.create_table(
        "pool_replicas",
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("created", Timestamp(), nullable=False),
        sa.Column("modified", Timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pools.id"], name=op.f("fk_pool_replicas_pool_id_pools"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pool_id", "region", name=op.f("pk_pool_replicas")),
    )


def downgrade() -> None:
    for name in ("pool_replicas", "pool_recoveries", "history_members", "history_groups", "history_users"):
        op.drop_table(name)
    op.drop_index(op.f("ix_users_pool_id_created"), table_name="users")
