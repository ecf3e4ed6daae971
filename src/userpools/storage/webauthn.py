"""Passkeys: a user's WebAuthn credentials, found by the credential id an authenticator presents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from userpools.storage.errors import Conflict
from userpools.storage.schema import webauthn_credentials as table
from userpools.storage.statements import Repository


@dataclass(frozen=True)
class WebAuthnCredential:
    pool_id: str
    user_id: int
    credential_id: str  # base64url, as the authenticator's JSON carries it
    public_key: str  # base64url of the COSE public key
    sign_count: int
    rp_id: str
    friendly_name: str
    attachment: str | None
    transports: list[str]
    created: datetime
    id: int | None = None


def _record(row: Any) -> WebAuthnCredential:
    return WebAuthnCredential(
        row.pool_id,
        row.user_id,
        row.credential_id,
        row.public_key,
        int(row.sign_count),
        row.rp_id,
        row.friendly_name,
        row.attachment,
        list(row.transports or []),
        row.created,
        row.id,
    )


class WebAuthnRepository(Repository):
    def add(self, credential: WebAuthnCredential) -> None:
        values = {k: v for k, v in credential.__dict__.items() if k != "id"}
        try:
            with self.c.begin_nested():
                self.c.execute(insert(table).values(**values))
        except IntegrityError:
            raise Conflict("unique", "webauthn credential") from None

    def get(self, pool_id: str, credential_id: str) -> WebAuthnCredential | None:
        row = self.c.execute(
            select(table).where(table.c.pool_id == pool_id, table.c.credential_id == credential_id)
        ).first()
        return _record(row) if row else None

    def page(self, user_id: int, after: int | None, limit: int) -> list[WebAuthnCredential]:
        query = select(table).where(table.c.user_id == user_id).order_by(table.c.id).limit(limit)
        if after is not None:
            query = query.where(table.c.id > after)
        return [_record(row) for row in self.c.execute(query)]

    def count(self, user_id: int) -> int:
        return int(self.c.execute(select(func.count()).where(table.c.user_id == user_id)).scalar_one())

    def has_any(self, user_id: int) -> bool:
        return self.c.execute(select(table.c.id).where(table.c.user_id == user_id).limit(1)).first() is not None

    def set_sign_count(self, row_id: int, sign_count: int) -> None:
        self.c.execute(update(table).where(table.c.id == row_id).values(sign_count=sign_count))

    def delete(self, user_id: int, credential_id: str) -> bool:
        result = self.c.execute(delete(table).where(table.c.user_id == user_id, table.c.credential_id == credential_id))
        return bool(result.rowcount)
