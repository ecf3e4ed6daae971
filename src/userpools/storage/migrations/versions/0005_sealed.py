"""sealed secrets: client secrets, signing keys and outbox contents sealed under the master key; keyed
code digests; no client secret in Cloud Control request records; outbox rows purged by age

What databases written before kept in clear (or under a Fernet key in server_secrets, beside the data
it protected) is sealed here with the keyring the server starts with (domain/sealing.py). Outstanding
one-time codes, stored as unsalted SHA-256, are discarded: users ask for a new one.

Revision ID: 0005_sealed
Revises: 0004
Create Date: 2026-12-01 23:30:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import context, op
from cryptography.fernet import Fernet

from userpools.domain import sealing
from userpools.storage.sealed import discard_digests, reseal

revision = "0005_sealed"
down_revision = "0004"
branch_labels = None
depends_on = None

_FERNET_KEY = "client-secret-fernet-key"  # where operations/clients.py kept its key before this revision
_SECRET_PROPERTIES = ("ClientSecret",)


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.alter_column("outbox", "code", type_=sa.Text(), existing_type=sa.String(length=256))
    op.create_index(op.f("ix_outbox_created"), "outbox", ["created"])

    from userpools.storage.schema import clients, outbox, resource_requests, server_secrets, signing_keys

    fernet_key = connection.execute(
        sa.select(server_secrets.c.value).where(server_secrets.c.name == _FERNET_KEY)
    ).scalar()
    keyring: sealing.Keyring | None = context.config.attributes.get("keyring")

    def sealed(purpose: str, value: str) -> str:
        if sealing.is_sealed(value):
            return value
        if keyring is None:
            raise RuntimeError("migration 0005 seals existing secrets: run it with the server's master key")
        if purpose == "client-secret":
            if fernet_key is None:
                raise RuntimeError("a client secret is encrypted under a key that server_secrets no longer holds")
            value = Fernet(fernet_key.encode()).decrypt(value.encode()).decode()
        return sealing.seal(keyring, purpose, value)

    reseal(
        connection,
        sealed,
        [
            (clients, "secret", "client-secret"),
            (signing_keys, "private_pem", "signing-key"),
            (outbox, "body", "outbox-body"),
            (outbox, "code", "outbox-code"),
        ],
    )
    discard_digests(connection, keep=lambda stored: stored.startswith("h1:"))
    connection.execute(sa.delete(server_secrets).where(server_secrets.c.name == _FERNET_KEY))

    records = connection.execute(
        sa.select(resource_requests.c.id, resource_requests.c.resource_model).where(
            resource_requests.c.resource_model.like("%ClientSecret%")
        )
    ).all()
    for record in records:
        model = json.loads(record.resource_model)
        if isinstance(model, dict):
            for name in _SECRET_PROPERTIES:
                model.pop(name, None)
            connection.execute(
                sa.update(resource_requests)
                .where(resource_requests.c.id == record.id)
                .values(resource_model=json.dumps(model, separators=(",", ":")))
            )


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_created"), table_name="outbox")
