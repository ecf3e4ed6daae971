"""The columns that hold sealed secrets (domain/sealing.py), and re-sealing them all in one transaction:
for migration 0005 (sealing what older databases kept in clear) and ``userpools rotate-master-key``.

A feature that seals a new column (TOTP seeds, ...) appends it to SEALED_COLUMNS, so rotation covers it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection, Table, and_, delete, select, update

from userpools.domain import sealing
from userpools.domain.sealing import Keyring
from userpools.storage.schema import (
    client_secrets,
    clients,
    codes,
    identity_providers,
    outbox,
    saml_certificates,
    server_secrets,
    signing_keys,
)

KEY_ID = "master-key-id"  # server_secrets row: the id of the key everything is sealed under

# (table, column, purpose): the purpose is the one sealing.seal/unseal are given for that column.
SEALED_COLUMNS: list[tuple[Table, str, str]] = [
    (clients, "secret", "client-secret"),
    (signing_keys, "private_pem", "signing-key"),
    (outbox, "body", "outbox-body"),
    (outbox, "code", "outbox-code"),
    (client_secrets, "sealed", "client-secret"),
    (identity_providers, "secrets", "provider-secrets"),
    (saml_certificates, "private_pem", "saml-signing-key"),
]
# (table, column): keyed digests (sealing.digest), which cannot be re-keyed: rotation discards their rows.
DIGEST_COLUMNS: list[tuple[Table, str]] = [(codes, "code_hash")]


def reseal(
    connection: Connection,
    change: Callable[[str, str], str],
    columns: Sequence[tuple[Table, str, str]] = SEALED_COLUMNS,
) -> int:
    """Replace every non-empty value ``v`` of ``columns`` by ``change(purpose, v)``; how many changed."""
    changed = 0
    for table, name, purpose in columns:
        column = table.c[name]
        keys = list(table.primary_key.columns)
        rows = connection.execute(select(*keys, column).where(column.is_not(None), column != "")).all()
        for row in rows:
            value = row[-1]
            new = change(purpose, value)
            if new != value:
                match = and_(*(key == row[i] for i, key in enumerate(keys)))
                connection.execute(update(table).where(match).values({name: new}))
                changed += 1
    return changed


def discard_digests(connection: Connection, keep: Callable[[str], bool] = lambda stored: False) -> int:
    """Delete the rows whose digest ``keep`` refuses (by default all); how many."""
    removed = 0
    for table, name in DIGEST_COLUMNS:
        column = table.c[name]
        keys = list(table.primary_key.columns)
        for row in connection.execute(select(*keys, column)).all():
            if not keep(row[-1]):
                connection.execute(delete(table).where(and_(*(key == row[i] for i, key in enumerate(keys)))))
                removed += 1
    return removed


def rotate(connection: Connection, old: Keyring, new: Keyring) -> tuple[int, int]:
    """Re-seal every sealed column under ``new``'s key and discard the digests made under ``old``'s
    (outstanding one-time codes: users ask for another); (values re-sealed, codes discarded)."""
    opening = Keyring(old.current, (*old.older, *new.older))
    resealed = reseal(
        connection, lambda purpose, value: sealing.seal(new, purpose, sealing.unseal(opening, purpose, value))
    )
    connection.execute(update(server_secrets).where(server_secrets.c.name == KEY_ID).values(value=new.current.id))
    return resealed, discard_digests(connection)
