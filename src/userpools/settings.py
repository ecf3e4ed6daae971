"""Server settings: command-line options over environment variables over defaults (DESIGN.md).

This module owns every ``USERPOOLS_*`` variable: each is named in :data:`VARIABLES` (a test checks that
no other name is read anywhere and that the README documents each), and read only in
:meth:`Settings.from_env`. Other modules are handed a :class:`Settings` (or the mapping in ``env``, for
the senders' and triggers' own configuration), never ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_DATABASE_URL = "sqlite:///.userpools/userpools.db"

# Every environment variable the server reads, with what it means (the README's table says the same).
VARIABLES: dict[str, str] = {
    "USERPOOLS_HOST": "address to listen on",
    "USERPOOLS_PORT": "port to listen on",
    "USERPOOLS_DATABASE_URL": "sqlite:///path or postgresql://...",
    "USERPOOLS_REGION": "the region in pool ids and ARNs",
    "USERPOOLS_ACCOUNT_ID": "the account id in ARNs",
    "USERPOOLS_PUBLIC_URL": "what clients call the server",
    "USERPOOLS_CREDENTIALS": "AKID:SECRET[,...] accepted in SigV4 signatures",
    "USERPOOLS_PRODUCTION": "true: production mode",
    "USERPOOLS_DB_POOL_SIZE": "database connections per process",
    "USERPOOLS_DB_POOL_OVERFLOW": "extra PostgreSQL connections allowed beyond the pool",
    "USERPOOLS_STATEMENT_TIMEOUT_MS": "PostgreSQL statement timeout",
    "USERPOOLS_LAMBDA_ENDPOINT": "Lambda Invoke API for every trigger ARN",
    "USERPOOLS_TRIGGERS_CONFIG": "JSON file routing single trigger ARNs",
    "USERPOOLS_SMTP_URL": "SMTP server for email",
    "USERPOOLS_EMAIL_FROM": "default From address",
    "USERPOOLS_SNS_ENDPOINT": "SNS Publish endpoint for SMS",
    "USERPOOLS_LOG_SINK": "file pools' exported logs are appended to",
}


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
    db_pool_size: int = 4
    db_pool_overflow: int = 0
    statement_timeout_ms: int = 15000
    log_sink: str | None = None  # the file pools' exported logs are appended to (SetLogDeliveryConfiguration)
    # The whole environment, for the senders and trigger invokers (their USERPOOLS_* variables are in
    # VARIABLES; AWS_REGION and AWS credentials for SNS and Lambda are read there too).
    env: Mapping[str, str] = field(default_factory=dict)

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
            "db_pool_size": int(env.get("USERPOOLS_DB_POOL_SIZE", cls.db_pool_size)),
            "db_pool_overflow": int(env.get("USERPOOLS_DB_POOL_OVERFLOW", cls.db_pool_overflow)),
            "statement_timeout_ms": int(env.get("USERPOOLS_STATEMENT_TIMEOUT_MS", cls.statement_timeout_ms)),
            "log_sink": env.get("USERPOOLS_LOG_SINK") or None,
            "env": env,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
