"""Key material kept in the database: pool signing keys and server-wide secrets, created on first use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from userpools.storage.schema import server_secrets, signing_keys


class KeyRepository:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def signing_keys(self, pool_id: str) -> list[tuple[str, str, bool]]:
        """Every key of a pool as ``(kid, private PEM, active)``, newest first."""
        rows = self.c.execute(
            select(signing_keys.c.kid, signing_keys.c.private_pem, signing_keys.c.active)
            .where(signing_keys.c.pool_id == pool_id)
            .order_by(signing_keys.c.created.desc(), signing_keys.c.kid)
        )
        return [(row.kid, row.private_pem, bool(row.active)) for row in rows]

    def add_signing_key(self, pool_id: str, kid: str, pem: str, now: datetime) -> None:
        self.c.execute(insert(signing_keys).values(pool_id=pool_id, kid=kid, private_pem=pem, active=True,
                                                   created=now))

    def server_secret(self, name: str, make: Callable[[], str], now: datetime) -> str:
        """The named secret, created with ``make()`` by whichever request needs it first."""
        query = select(server_secrets.c.value).where(server_secrets.c.name == name)
        value = self.c.execute(query).scalar()
        if value is not None:
            return str(value)
        try:
            with self.c.begin_nested():
                self.c.execute(insert(server_secrets).values(name=name, value=make(), created=now))
        except IntegrityError:  # another process created it first
            pass
        return str(self.c.execute(query).scalar_one())
