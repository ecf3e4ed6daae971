"""MFA and remembered devices: devices (NewDeviceMetadata, ConfirmDevice's SRP verifier, remembered status)

Revision ID: 0007_mfa
Revises: 0004
Create Date: 2026-12-01 23:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import userpools.storage.schema

revision = "0007_mfa"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "devices",
        sa.Column("device_key", sa.String(length=55), nullable=False),
        sa.Column("pool_id", sa.String(length=55), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("group_key", sa.String(length=64), nullable=False),
        sa.Column("salt", sa.Text(), nullable=True),
        sa.Column("verifier", sa.Text(), nullable=True),
        sa.Column("name", sa.String(length=1024), nullable=True),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("remembered", sa.Boolean(), nullable=False),
        sa.Column("created", userpools.storage.schema.Timestamp(timezone=True), nullable=False),
        sa.Column("modified", userpools.storage.schema.Timestamp(timezone=True), nullable=False),
        sa.Column("last_authenticated", userpools.storage.schema.Timestamp(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], name=op.f("fk_devices_pool_id_pools"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_devices_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("device_key", name=op.f("pk_devices")),
    )
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_devices_user_id_device_key"), ["user_id", "device_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_devices_user_id_device_key"))
    op.drop_table("devices")
