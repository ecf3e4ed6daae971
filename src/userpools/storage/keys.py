"""Key material kept in the database: pool signing keys and server-wide secrets, created on first use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from userpools.storage.schema import server_secrets, signing_keys
from userpools.storage.statements import Query, Repository

_SIGNING_KEYS = Query(
    select(signing_keys.c.kid, signing_keys.c.private_pem, signing_keys.c.active)
    .where(signing_keys.c.pool_id == bindparam("pool_id"))
    .order_by(signing_keys.c.created.desc(), signing_keys.c.kid)
)
_SECRET = Query(select(server_secrets.c.value).where(server_secrets.c.name == bindparam("name")))


class KeyRepository(Repository):
    def signing_keys(self, pool_id: str) -> list[tuple[str, str, bool]]:
        """Every key of a pool as ``(kid, private PEM, active)``, newest first."""
        rows = _SIGNING_KEYS.all(self.session, pool_id=pool_id)
        return [(row.kid, row.private_pem, bool(row.active)) for row in rows]

    def add_signing_key(self, pool_id: str, kid: str, pem: str, now: datetime) -> None:
        self.c.execute(insert(signing_keys).values(pool_id=pool_id, kid=kid, private_pem=pem, active=True, created=now))

    def server_secret(self, name: str, make: Callable[[], str], now: datetime) -> str:
        """The named secret, created with ``make()`` by whichever request needs it first."""
        row = _SECRET.first(self.session, name=name)
        if row is not None:
            return str(row.value)
        try:
            with self.c.begin_nested():
                self.c.execute(insert(server_secrets).values(name=name, value=make(), created=now))
        except IntegrityError:  # another process created it first
            pass
        return str(self.c.execute(select(server_secrets.c.value).where(server_secrets.c.name == name)).scalar_one())
