"""One-time codes, kept as keyed digests (domain/sealing.py, made by steps/codes.py) with an expiry and an
attempt counter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from userpools.storage.schema import codes
from userpools.storage.statements import Repository


@dataclass(frozen=True)
class StoredCode:
    """A code waiting to be entered: its keyed digest, when it expires, the wrong attempts made so far."""

    code_hash: str
    expires: datetime
    attempts: int


class CodeRepository(Repository):
    def put(self, user_id: int, purpose: str, code_hash: str, expires: datetime) -> None:
        self.discard(user_id, purpose)
        self.c.execute(
            insert(codes).values(user_id=user_id, purpose=purpose, code_hash=code_hash, expires=expires, attempts=0)
        )

    def get(self, user_id: int, purpose: str) -> StoredCode | None:
        row = self.c.execute(
            select(codes.c.code_hash, codes.c.expires, codes.c.attempts).where(
                codes.c.user_id == user_id, codes.c.purpose == purpose
            )
        ).first()
        return StoredCode(row.code_hash, row.expires, int(row.attempts)) if row else None

    def count_attempt(self, user_id: int, purpose: str) -> None:
        self.c.execute(
            update(codes)
            .where(codes.c.user_id == user_id, codes.c.purpose == purpose)
            .values(attempts=codes.c.attempts + 1)
        )

    def discard(self, user_id: int, purpose: str) -> None:
        self.c.execute(delete(codes).where(codes.c.user_id == user_id, codes.c.purpose == purpose))
