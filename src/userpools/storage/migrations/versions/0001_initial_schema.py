"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 04:01:55.101313
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import userpools.storage.schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("username", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("medium", sa.String(length=8), nullable=False),
        sa.Column("destination", sa.String(length=2048), nullable=False),
        sa.Column("subject", sa.String(length=256), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("code", sa.String(length=256), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created", userpools.storage.schema.Timestamp(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_destination"), ["destination"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_pool_id_username"), ["pool_id", "username"], unique=False)

    op.create_table(
        "pools",
        sa.Column("id", sa.String(length=55), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("created", userpools.storage.schema.Timestamp(timezone=True), nullable=False),
        sa.Column("modified", userpools.storage.schema.Timestamp(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pools")),
    )
    op.create_table(
        "groups",
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("description", sa.String(length=2048), nullable=True),
        sa.Column("role_arn", sa.String(length=2048), nullable=True),
        sa.Column("precedence", sa.Integer(), nullable=True),
        sa.Column("created", userpools.storage.schema.Timestamp(timezone=True), nullable=False),
        sa.Column("modified", userpools.storage.schema.Timestamp(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], name=op.f("fk_groups_pool_id_pools"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pool_id", "name", name=op.f("pk_groups")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("username", sa.String(length=128), nullable=False),
        sa.Column("username_key", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False),
        sa.Column("sub", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("mfa", sa.JSON(), nullable=False),
        sa.Column("password_salt", sa.String(length=64), nullable=True),
        sa.Column("password_verifier", sa.Text(), nullable=True),
        sa.Column("password_expires", userpools.storage.schema.Timestamp(timezone=True), nullable=True),
        sa.Column("created", userpools.storage.schema.Timestamp(timezone=True), nullable=False),
        sa.Column("modified", userpools.storage.schema.Timestamp(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], name=op.f("fk_users_pool_id_pools"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("pool_id", "username_key", name=op.f("uq_users_pool_id_username_key")),
        sa.UniqueConstraint("sub", name=op.f("uq_users_sub")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_pool_id_id"), ["pool_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_users_pool_id_status_id"), ["pool_id", "status", "id"], unique=False)

    op.create_table(
        "aliases",
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_aliases_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pool_id", "kind", "value", name=op.f("pk_aliases")),
    )
    with op.batch_alter_table("aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_aliases_user_id"), ["user_id"], unique=False)

    op.create_table(
        "codes",
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=128), nullable=False),
        sa.Column("expires", userpools.storage.schema.Timestamp(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_codes_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "purpose", name=op.f("pk_codes")),
    )
    op.create_table(
        "memberships",
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("group_name", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["pool_id", "group_name"],
            ["groups.pool_id", "groups.name"],
            name=op.f("fk_memberships_pool_id_groups"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pool_id", "group_name", "user_id", name=op.f("pk_memberships")),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_memberships_user_id"), ["user_id"], unique=False)

    op.create_table(
        "user_index",
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String().with_variant(sa.String(collation="C"), "postgresql"), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_index_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "name", name=op.f("pk_user_index")),
    )
    with op.batch_alter_table("user_index", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_index_pool_id_name_value_user_id"),
            ["pool_id", "name", "value", "user_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("user_index", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_index_pool_id_name_value_user_id"))

    op.drop_table("user_index")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberships_user_id"))

    op.drop_table("memberships")
    op.drop_table("codes")
    with op.batch_alter_table("aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aliases_user_id"))

    op.drop_table("aliases")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_pool_id_status_id"))
        batch_op.drop_index(batch_op.f("ix_users_pool_id_id"))

    op.drop_table("users")
    op.drop_table("groups")
    op.drop_table("pools")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_pool_id_username"))
        batch_op.drop_index(batch_op.f("ix_outbox_destination"))

    op.drop_table("outbox")
