"""Auth events and risk configurations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from userpools.storage.schema import auth_events, risk_configs
from userpools.storage.statements import Repository


@dataclass
class AuthEventRecord:
    id: str
    pool_id: str
    user_id: int
    created: datetime
    kind: str
    response: str
    risk_decision: str
    risk_level: str | None
    compromised: bool
    challenges: list[dict[str, str]] = field(default_factory=list)
    ip: str | None = None
    device: str | None = None
    feedback_value: str | None = None
    feedback_provider: str | None = None
    feedback_date: datetime | None = None
    feedback_token: str | None = None


def _record(row: Any) -> AuthEventRecord:
    return AuthEventRecord(**{k: getattr(row, k) for k in AuthEventRecord.__dataclass_fields__})


class AuthEventRepository(Repository):
    def add(self, event: AuthEventRecord) -> None:
        self.c.execute(insert(auth_events).values(**event.__dict__))

    def get(self, event_id: str) -> AuthEventRecord | None:
        row = self.c.execute(select(auth_events).where(auth_events.c.id == event_id)).first()
        return _record(row) if row else None

    def of_user(self, user_id: int, before: tuple[datetime, str] | None, limit: int) -> list[AuthEventRecord]:
        """Newest first."""
        query = select(auth_events).where(auth_events.c.user_id == user_id)
        if before is not None:
            created, event_id = before
            query = query.where(
                (auth_events.c.created < created) | ((auth_events.c.created == created) & (auth_events.c.id < event_id))
            )
        query = query.order_by(auth_events.c.created.desc(), auth_events.c.id.desc()).limit(limit)
        return [_record(r) for r in self.c.execute(query)]

    def history(self, user_id: int, limit: int = 100) -> list[tuple[str | None, str | None]]:
        """(ip, device) of the user's latest successful sign-ins."""
        rows = self.c.execute(
            select(auth_events.c.ip, auth_events.c.device)
            .where(auth_events.c.user_id == user_id, auth_events.c.kind == "SignIn", auth_events.c.response == "Pass")
            .order_by(auth_events.c.created.desc())
            .limit(limit)
        )
        return [(r.ip, r.device) for r in rows]

    def set_feedback(self, event_id: str, value: str, provider: str, when: datetime) -> None:
        self.c.execute(
            update(auth_events)
            .where(auth_events.c.id == event_id)
            .values(feedback_value=value, feedback_provider=provider, feedback_date=when)
        )


class RiskConfigRepository(Repository):
    def get(self, pool_id: str, client_id: str) -> tuple[dict[str, Any], datetime] | None:
        row = self.c.execute(
            select(risk_configs.c.config, risk_configs.c.modified).where(
                risk_configs.c.pool_id == pool_id, risk_configs.c.client_id == client_id
            )
        ).first()
        return (dict(row.config), row.modified) if row else None

    def remove(self, pool_id: str, client_id: str) -> None:
        self.c.execute(
            delete(risk_configs).where(risk_configs.c.pool_id == pool_id, risk_configs.c.client_id == client_id)
        )

    def put(self, pool_id: str, client_id: str, config: dict[str, Any], now: datetime) -> None:
        self.remove(pool_id, client_id)
        self.c.execute(insert(risk_configs).values(pool_id=pool_id, client_id=client_id, config=config, modified=now))
