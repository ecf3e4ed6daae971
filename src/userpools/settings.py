"""Server settings: command-line options over environment variables over defaults (DESIGN.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_DATABASE_URL = "sqlite:///.userpools/userpools.db"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 9229
    database_url: str = DEFAULT_DATABASE_URL
    region: str = "us-east-1"
    account_id: str = "000000000000"
    public_url: str | None = None
    credentials: dict[str, str] = field(default_factory=dict)
    production: bool = False
    env: Mapping[str, str] = field(default_factory=dict)
    # Secrets at rest and the outbox (SECURITY.md).
    master_key: str | None = field(default=None, repr=False)
    master_key_file: str | None = None
    outbox_content: bool | None = None  # None: kept outside production mode only
    outbox_retention: float | None = None  # seconds; None: 24 h in production mode, forever outside it

    @property
    def locked(self) -> bool:
        """Whether management routes (/_userpools/*) need a SigV4 signature: production mode or credentials."""
        return self.production or bool(self.credentials)

    @property
    def keeps_outbox_content(self) -> bool:
        return self.outbox_content if self.outbox_content is not None else not self.production

    @property
    def outbox_keeps_for(self) -> float | None:
        """Seconds an outbox message is kept, or None for ever."""
        if self.outbox_retention is not None:
            return self.outbox_retention or None
        return 86400.0 if self.production else None

    @property
    def base_url(self) -> str:
        """What clients call the server: USERPOOLS_PUBLIC_URL or the address it listens on."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = dict(os.environ if env is None else env)
        credentials = {}
        for pair in filter(None, env.get("USERPOOLS_CREDENTIALS", "").split(",")):
            key, _, secret = pair.partition(":")
            credentials[key.strip()] = secret.strip()
        values: dict[str, object] = {
            "host": env.get("USERPOOLS_HOST", cls.host),
            "port": int(env.get("USERPOOLS_PORT", cls.port)),
            "database_url": env.get("USERPOOLS_DATABASE_URL", DEFAULT_DATABASE_URL),
            "region": env.get("USERPOOLS_REGION", cls.region),
            "account_id": env.get("USERPOOLS_ACCOUNT_ID", cls.account_id),
            "public_url": env.get("USERPOOLS_PUBLIC_URL") or None,
            "credentials": credentials,
            "production": env.get("USERPOOLS_PRODUCTION", "").lower() in ("1", "true", "yes"),
            "env": env,
            "master_key": env.get("USERPOOLS_MASTER_KEY") or None,
            "master_key_file": env.get("USERPOOLS_MASTER_KEY_FILE") or None,
            "outbox_content": _flag(env.get("USERPOOLS_OUTBOX_CONTENT")),
            "outbox_retention": float(env["USERPOOLS_OUTBOX_RETENTION"])
            if env.get("USERPOOLS_OUTBOX_RETENTION")
            else None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _flag(value: str | None) -> bool | None:
    return None if not value else value.lower() in ("1", "true", "yes")
