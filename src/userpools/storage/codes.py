"""One-time codes, kept as keyed digests (domain/sealing.py, made by operations/codes.py) with an expiry and an
attempt counter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from userpools.storage.schema import codes
from userpools.storage.statements import Repository


class CodeRepository(Repository):
    def put(self, user_id: int, purpose: str, code_hash: str, expires: datetime) -> None:
        self.discard(user_id, purpose)
        self.c.execute(
            insert(codes).values(user_id=user_id, purpose=purpose, code_hash=code_hash, expires=expires, attempts=0)
        )

    def get(self, user_id: int, purpose: str) -> dict[str, Any] | None:
        row = self.c.execute(select(codes).where(codes.c.user_id == user_id, codes.c.purpose == purpose)).first()
        return dict(row._mapping) if row else None

    def count_attempt(self, user_id: int, purpose: str) -> None:
        self.c.execute(
            update(codes)
            .where(codes.c.user_id == user_id, codes.c.purpose == purpose)
            .values(attempts=codes.c.attempts + 1)
        )

    def discard(self, user_id: int, purpose: str) -> None:
        self.c.execute(delete(codes).where(codes.c.user_id == user_id, codes.c.purpose == purpose))
