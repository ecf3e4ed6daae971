"""The columns that hold sealed secrets (domain/sealing.py), and re-sealing them all in one transaction:
for migration 0005 (sealing what older databases kept in clear) and ``userpools rotate-master-key``.

A feature that seals a new column appends it to SEALED_COLUMNS, so rotation covers it; a secret sealed inside a
JSON column (TOTP seeds in ``users.mfa``) is listed in SEALED_IN_JSON with the keys that lead to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, and_, delete, select, update

from userpools.domain import outbox as outbox_parts
from userpools.domain import sealing
from userpools.domain.mfa import TOTP, TOTP_SEALED_AS
from userpools.domain.sealing import Keyring
from userpools.storage.schema import (
    auth_sessions,
    client_secrets,
    clients,
    codes,
    history_users,
    identity_providers,
    outbox,
    saml_certificates,
    server_secrets,
    signing_keys,
    users,
)

if TYPE_CHECKING:
    from userpools.storage.statements import Session

KEY_ID = "master-key-id"  # server_secrets row: the id of the key everything is sealed under

# (table, column, purpose): the purpose is the one sealing.seal/unseal are given for that column.
SEALED_COLUMNS: list[tuple[Table, str, str]] = [
    (clients, "secret", "client-secret"),
    (signing_keys, "private_pem", "signing-key"),
    (outbox, "body", "outbox-body"),
    (outbox, "code", "outbox-code"),
    (outbox, "subject", outbox_parts.SUBJECT),
    (outbox, "destination", outbox_parts.DESTINATION),
    (client_secrets, "sealed", "client-secret"),
    (identity_providers, "secrets", "provider-secrets"),
    (saml_certificates, "private_pem", "saml-signing-key"),
]
# (table, JSON column, keys leading to a sealed value inside it, purpose).
SEALED_IN_JSON: list[tuple[Table, str, tuple[str, ...], str]] = [
    (users, "mfa", (TOTP, "secret"), TOTP_SEALED_AS),
    (users, "mfa", (TOTP, "pending_secret"), TOTP_SEALED_AS),
    (history_users, "mfa", (TOTP, "secret"), TOTP_SEALED_AS),  # point-in-time recovery's copies
    (history_users, "mfa", (TOTP, "pending_secret"), TOTP_SEALED_AS),
]
# Tables of short-lived rows sealed under the key in use (sign-ins waiting for an answer, a few minutes long):
# rotation discards them, and those sign-ins start again.
DISCARDED_ON_ROTATION: list[Table] = [auth_sessions]
_PAGE = 1000  # rows of a JSON column read at a time, by primary key
# (table, column): keyed digests (sealing.digest), which cannot be re-keyed: rotation discards their rows.
DIGEST_COLUMNS: list[tuple[Table, str]] = [(codes, "code_hash")]
# (table, digest column, sealed column it is a digest of, that column's purpose, the digest of its opened value):
# digests of a value also kept sealed are made again under the new key, not discarded.
DIGESTS_OF_SEALED: list[tuple[Table, str, str, str, Callable[[Keyring, str], str]]] = [
    (outbox, "destination_key", "destination", outbox_parts.DESTINATION, outbox_parts.destination_key),
]


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


def redigest(
    connection: Connection,
    keyring: Keyring,
    fields: Sequence[tuple[Table, str, str, str, Callable[[Keyring, str], str]]] = DIGESTS_OF_SEALED,
) -> int:
    """Make every digest of ``fields`` again from its sealed column, under ``keyring``; how many were made."""
    made = 0
    for table, name, source, purpose, digest in fields:
        keys = list(table.primary_key.columns)
        for row in connection.execute(select(*keys, table.c[source]).where(table.c[source] != "")).all():
            value = digest(keyring, sealing.unseal(keyring, purpose, row[-1]))
            match = and_(*(key == row[i] for i, key in enumerate(keys)))
            connection.execute(update(table).where(match).values({name: value}))
            made += 1
    return made


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


def reseal_in_json(
    connection: Connection,
    change: Callable[[str, str], str],
    fields: Sequence[tuple[Table, str, tuple[str, ...], str]] = SEALED_IN_JSON,
) -> int:
    """Replace every sealed value ``v`` found inside the JSON columns of ``fields`` by ``change(purpose, v)``,
    reading each table a page at a time in primary-key order; how many changed."""
    changed = 0
    for table in dict.fromkeys(table for table, *_ in fields):
        (key,) = table.primary_key.columns
        paths = [(column, path, purpose) for t, column, path, purpose in fields if t is table]
        columns = sorted({column for column, _, _ in paths})
        after: Any = None
        while True:
            query = select(key, *(table.c[c] for c in columns)).order_by(key).limit(_PAGE)
            rows = connection.execute(query if after is None else query.where(key > after)).all()
            for row in rows:
                values = dict(zip(columns, row[1:], strict=True))
                touched = {
                    c: _resealed(values[c], [(p, u) for col, p, u in paths if col == c], change) for c in columns
                }
                updates = {c: new for c, (new, count) in touched.items() if count}
                if updates:
                    connection.execute(update(table).where(key == row[0]).values(updates))
                    changed += sum(count for _, count in touched.values())
            if len(rows) < _PAGE:
                break
            after = rows[-1][0]
    return changed


def _resealed(
    document: Any, paths: list[tuple[tuple[str, ...], str]], change: Callable[[str, str], str]
) -> tuple[Any, int]:
    """``document`` with the sealed values at ``paths`` changed (a copy), and how many were."""
    if not isinstance(document, dict):
        return document, 0
    copy = json_copy(document)
    count = 0
    for path, purpose in paths:
        *parents, leaf = path
        node: Any = copy
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get(leaf), str) and node[leaf]:
            node[leaf] = change(purpose, node[leaf])
            count += 1
    return copy, count


def json_copy(document: dict[str, Any]) -> dict[str, Any]:
    return {k: json_copy(v) if isinstance(v, dict) else v for k, v in document.items()}


def rotate_in(session: Session, old: Keyring, new: Keyring) -> tuple[int, int]:
    """:func:`rotate` in ``session``'s transaction (what `userpools rotate-master-key` runs)."""
    return rotate(session.connection, old, new)


def rotate(connection: Connection, old: Keyring, new: Keyring) -> tuple[int, int]:
    """Re-seal every sealed column and sealed JSON field under ``new``'s key, make the digests of sealed values
    (outbox destinations) again under it, discard the other digests made under ``old``'s (outstanding one-time
    codes: users ask for another) and the sign-ins waiting for an answer; (values re-sealed, codes discarded)."""
    opening = Keyring(old.current, (*old.older, *new.older))

    def change(purpose: str, value: str) -> str:
        return sealing.seal(new, purpose, sealing.unseal(opening, purpose, value))

    resealed = reseal(connection, change) + reseal_in_json(connection, change)
    redigest(connection, new)
    for table in DISCARDED_ON_ROTATION:
        connection.execute(delete(table))
    connection.execute(update(server_secrets).where(server_secrets.c.name == KEY_ID).values(value=new.current.id))
    return resealed, discard_digests(connection)
