"""cloudcontrol: resource_requests (Cloud Control request tokens and their ProgressEvents)

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-26 04:07:45.103550
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import userpools.storage.schema

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resource_requests",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("request_token", sa.String(length=128), nullable=False),
        sa.Column("client_token", sa.String(length=128), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("type_name", sa.String(length=196), nullable=False),
        sa.Column("identifier", sa.String(length=1024), nullable=True),
        sa.Column("operation", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("status_message", sa.Text(), nullable=True),
        sa.Column("resource_model", sa.Text(), nullable=True),
        sa.Column("event_time", userpools.storage.schema.Timestamp(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_requests")),
        sa.UniqueConstraint("client_token", name=op.f("uq_resource_requests_client_token")),
        sa.UniqueConstraint("request_token", name=op.f("uq_resource_requests_request_token")),
    )
    with op.batch_alter_table("resource_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resource_requests_operation_status_id"), ["operation", "status", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("resource_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_requests_operation_status_id"))

    op.drop_table("resource_requests")
