"""outbox destinations and subjects sealed: both become sealed text (domain/outbox.py) and the destination
gets a keyed digest beside it, ``destination_key``, indexed in place of the destination (issue 15)

Rows written before are sealed here with the keyring the server starts with, as 0005 sealed bodies and codes.

Revision ID: 0016_outbox_sealed
Revises: 0014_history_replicas
Create Date: 2026-12-02 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from userpools.domain import outbox as outbox_parts
from userpools.domain import sealing

revision = "0016_outbox_sealed"
down_revision = "0014_history_replicas"
branch_labels = None
depends_on = "0005_sealed"  # bodies and codes are sealed first; this seals the rest of the row

_OUTBOX = sa.table(
    "outbox",
    sa.column("id", sa.BigInteger()),
    sa.column("destination", sa.Text()),
    sa.column("destination_key", sa.String()),
    sa.column("subject", sa.Text()),
)


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":  # SQLite does not enforce lengths: nothing to change there
        op.alter_column("outbox", "destination", type_=sa.Text(), existing_type=sa.String(length=2048))
        op.alter_column("outbox", "subject", type_=sa.Text(), existing_type=sa.String(length=256))
    op.add_column("outbox", sa.Column("destination_key", sa.String(length=80), nullable=True))
    op.drop_index(op.f("ix_outbox_destination"), table_name="outbox")
    op.create_index(op.f("ix_outbox_destination_key"), "outbox", ["destination_key"])

    keyring: sealing.Keyring | None = context.config.attributes.get("keyring")
    rows = connection.execute(sa.select(_OUTBOX.c.id, _OUTBOX.c.destination, _OUTBOX.c.subject)).all()
    if rows and keyring is None:
        raise RuntimeError("migration 0016 seals outbox destinations: run it with the server's master key")
    for row in rows:
        if keyring is None or sealing.is_sealed(row.destination):
            continue
        connection.execute(
            sa.update(_OUTBOX)
            .where(_OUTBOX.c.id == row.id)
            .values(
                destination=sealing.seal(keyring, outbox_parts.DESTINATION, row.destination),
                destination_key=outbox_parts.destination_key(keyring, row.destination),
                subject=outbox_parts.seal_optional(keyring, outbox_parts.SUBJECT, row.subject),
            )
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_destination_key"), table_name="outbox")
    op.create_index(op.f("ix_outbox_destination"), "outbox", ["destination"])
    op.drop_column("outbox", "destination_key")
