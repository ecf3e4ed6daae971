"""Sign-in state: pending auth challenges, refresh tokens, failed-attempt counters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from userpools.storage.schema import auth_sessions, refresh_tokens, sign_in_failures


class AuthSessionRepository:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def put(self, key_hash: str, pool_id: str, client_id: str, challenge: str, state: dict[str, Any],
            expires: datetime) -> None:
        self.c.execute(insert(auth_sessions).values(key_hash=key_hash, pool_id=pool_id, client_id=client_id,
                                                    challenge=challenge, state=state, expires=expires))

    def take(self, key_hash: str, now: datetime) -> dict[str, Any] | None:
        """The session with this key, removed (single use); None when unknown or expired."""
        row = self.c.execute(select(auth_sessions).where(auth_sessions.c.key_hash == key_hash)).first()
        if row is None:
            return None
        self.c.execute(delete(auth_sessions).where(auth_sessions.c.key_hash == key_hash))
        self.c.execute(delete(auth_sessions).where(auth_sessions.c.expires < now))  # sweep the stale ones
        return dict(row._mapping) if row.expires > now else None


class RefreshTokenRepository:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def add(self, **row: Any) -> None:
        self.c.execute(insert(refresh_tokens).values(revoked=False, **row))

    def get(self, token_hash: str) -> dict[str, Any] | None:
        row = self.c.execute(select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)).first()
        return dict(row._mapping) if row else None

    def by_origin(self, origin_jti: str) -> dict[str, Any] | None:
        row = self.c.execute(select(refresh_tokens).where(refresh_tokens.c.origin_jti == origin_jti)).first()
        return dict(row._mapping) if row else None

    def revoke(self, token_hash: str) -> None:
        self.c.execute(update(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash).values(revoked=True))

    def revoke_user(self, user_id: int) -> None:
        self.c.execute(update(refresh_tokens).where(refresh_tokens.c.user_id == user_id).values(revoked=True))


class FailureRepository:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def get(self, user_id: int) -> tuple[int, datetime | None]:
        row = self.c.execute(select(sign_in_failures).where(sign_in_failures.c.user_id == user_id)).first()
        return (int(row.failures), row.locked_until) if row else (0, None)

    def set(self, user_id: int, failures: int, locked_until: datetime | None) -> None:
        self.clear(user_id)
        self.c.execute(insert(sign_in_failures).values(user_id=user_id, failures=failures,
                                                       locked_until=locked_until))

    def clear(self, user_id: int) -> None:
        self.c.execute(delete(sign_in_failures).where(sign_in_failures.c.user_id == user_id))
