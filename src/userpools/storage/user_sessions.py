"""Session tracking: the pool's and clients' session settings, and the tracked sessions themselves.

A token session is live while one of its refresh tokens is (not revoked, not expired); an SSO session while
its managed login cookie's row is. So GlobalSignOut, RevokeToken and reuse detection end sessions too,
without touching these tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, insert, or_, select, update

from userpools.storage.schema import (
    client_session_configs,
    login_sessions,
    refresh_tokens,
    session_configs,
    session_tokens,
    user_sessions,
)
from userpools.storage.statements import Query, Repository

_CONFIG = Query(
    select(session_configs.c.tracking, session_configs.c.max_per_user).where(
        session_configs.c.pool_id == bindparam("pool_id")
    )
)
_SESSION_OF_TOKEN = Query(
    select(session_tokens.c.session_id).where(session_tokens.c.origin_jti == bindparam("origin_jti"))
)
_LINK = Query(insert(session_tokens).values(origin_jti=bindparam("v_origin"), session_id=bindparam("v_session")))
_TOUCH = Query(
    update(user_sessions)
    .where(user_sessions.c.id == bindparam("session_id"))
    .values(last_active=bindparam("v_now"), ip=bindparam("v_ip"), device=bindparam("v_device"))
)


@dataclass(frozen=True)
class SessionConfig:
    tracking: bool
    max_per_user: int


@dataclass(frozen=True)
class TrackedSession:
    id: str
    pool_id: str
    user_id: int
    kind: str  # TOKEN or SSO
    client_id: str | None
    created: datetime
    last_active: datetime
    device: str | None
    ip: str | None
    origin_session_id: str | None = None
    login_key_hash: str | None = None


def _live(now: datetime) -> Any:
    """Whether a session row is live at ``now``."""
    token_live = exists(
        select(session_tokens.c.origin_jti)
        .join(refresh_tokens, refresh_tokens.c.origin_jti == session_tokens.c.origin_jti)
        .where(
            session_tokens.c.session_id == user_sessions.c.id,
            refresh_tokens.c.revoked.is_(False),
            refresh_tokens.c.expires > now,
        )
    )
    sso_live = exists(
        select(login_sessions.c.key_hash).where(
            login_sessions.c.key_hash == user_sessions.c.login_key_hash, login_sessions.c.expires > now
        )
    )
    return or_(and_(user_sessions.c.kind == "TOKEN", token_live), and_(user_sessions.c.kind == "SSO", sso_live))


def _record(row: Any) -> TrackedSession:
    return TrackedSession(
        row.id,
        row.pool_id,
        int(row.user_id),
        row.kind,
        row.client_id,
        row.created,
        row.last_active,
        row.device,
        row.ip,
        row.origin_session_id,
        row.login_key_hash,
    )


class SessionConfigRepository(Repository):
    def get(self, pool_id: str) -> SessionConfig | None:
        row = _CONFIG.first(self.session, pool_id=pool_id)
        return SessionConfig(row.tracking == "ENABLED", int(row.max_per_user)) if row else None

    def put(self, pool_id: str, config: SessionConfig) -> None:
        self.c.execute(delete(session_configs).where(session_configs.c.pool_id == pool_id))
        self.c.execute(
            insert(session_configs).values(
                pool_id=pool_id,
                tracking="ENABLED" if config.tracking else "DISABLED",
                max_per_user=config.max_per_user,
            )
        )

    def client_validity(self, client_id: str) -> int | None:
        row = self.c.execute(
            select(client_session_configs.c.max_validity_minutes).where(client_session_configs.c.client_id == client_id)
        ).first()
        return int(row.max_validity_minutes) if row else None

    def put_client_validity(self, client_id: str, minutes: int) -> None:
        self.c.execute(delete(client_session_configs).where(client_session_configs.c.client_id == client_id))
        self.c.execute(insert(client_session_configs).values(client_id=client_id, max_validity_minutes=minutes))


class UserSessionRepository(Repository):
    def add(self, session: TrackedSession) -> None:
        self.c.execute(insert(user_sessions).values(**session.__dict__))

    def link(self, origin_jti: str, session_id: str) -> None:
        """The refresh token of ``origin_jti`` belongs to the session."""
        _LINK.run(self.session, v_origin=origin_jti, v_session=session_id)

    def of_token(self, origin_jti: str) -> str | None:
        row = _SESSION_OF_TOKEN.first(self.session, origin_jti=origin_jti)
        return str(row.session_id) if row else None

    def touch(self, session_id: str, now: datetime, ip: str | None, device: str | None) -> None:
        _TOUCH.run(self.session, session_id=session_id, v_now=now, v_ip=ip, v_device=device)

    def live(self, user_id: int, now: datetime, kind: str | None = None) -> list[TrackedSession]:
        """The user's live sessions, least recently used first."""
        query = select(user_sessions).where(user_sessions.c.user_id == user_id, _live(now))
        if kind is not None:
            query = query.where(user_sessions.c.kind == kind)
        return [_record(r) for r in self.c.execute(query.order_by(user_sessions.c.last_active, user_sessions.c.id))]

    def get(self, session_id: str) -> TrackedSession | None:
        row = self.c.execute(select(user_sessions).where(user_sessions.c.id == session_id)).first()
        return _record(row) if row else None

    def linked_to(self, origin_session_id: str) -> list[TrackedSession]:
        rows = self.c.execute(select(user_sessions).where(user_sessions.c.origin_session_id == origin_session_id))
        return [_record(r) for r in rows]

    def by_login_key(self, key_hash: str) -> str | None:
        row = self.c.execute(
            select(user_sessions.c.id).where(user_sessions.c.login_key_hash == key_hash, user_sessions.c.kind == "SSO")
        ).first()
        return str(row.id) if row else None

    def end(self, session: TrackedSession) -> None:
        """Revoke the session's refresh tokens (so their access tokens too), end its cookie, drop its record."""
        tokens = select(session_tokens.c.origin_jti).where(session_tokens.c.session_id == session.id)
        self.c.execute(update(refresh_tokens).where(refresh_tokens.c.origin_jti.in_(tokens)).values(revoked=True))
        if session.login_key_hash is not None:
            self.c.execute(delete(login_sessions).where(login_sessions.c.key_hash == session.login_key_hash))
        self.c.execute(delete(session_tokens).where(session_tokens.c.session_id == session.id))
        self.c.execute(delete(user_sessions).where(user_sessions.c.id == session.id))
