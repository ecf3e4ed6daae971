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
    # Connections and requests (connections.py): what one client can hold or send.
    max_body_bytes: int = 1_048_576
    max_header_bytes: int = 16_384
    request_timeout: float = 10.0
    keep_alive_timeout: int = 5
    max_connections: int = 1000

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
            "max_body_bytes": int(env.get("USERPOOLS_MAX_BODY_BYTES", cls.max_body_bytes)),
            "max_header_bytes": int(env.get("USERPOOLS_MAX_HEADER_BYTES", cls.max_header_bytes)),
            "request_timeout": float(env.get("USERPOOLS_REQUEST_TIMEOUT", cls.request_timeout)),
            "keep_alive_timeout": int(env.get("USERPOOLS_KEEP_ALIVE_TIMEOUT", cls.keep_alive_timeout)),
            "max_connections": int(env.get("USERPOOLS_MAX_CONNECTIONS", cls.max_connections)),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
