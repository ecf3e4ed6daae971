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
    "USERPOOLS_HANDLER_THREADS": "the most threads per process running requests, counting those waiting outside",
    "USERPOOLS_STATEMENT_TIMEOUT_MS": "PostgreSQL statement timeout",
    "USERPOOLS_LAMBDA_ENDPOINT": "Lambda Invoke API for every trigger ARN",
    "USERPOOLS_TRIGGERS_CONFIG": "JSON file routing single trigger ARNs",
    "USERPOOLS_SMTP_URL": "SMTP server for email",
    "USERPOOLS_EMAIL_FROM": "default From address",
    "USERPOOLS_SNS_ENDPOINT": "SNS Publish endpoint for SMS",
    "USERPOOLS_LOG_SINK": "file that pools' exported logs are appended to",
    "USERPOOLS_MASTER_KEY": "the master key sealing secrets at rest (base64 of 32 bytes)",
    "USERPOOLS_MASTER_KEY_FILE": "a file holding the master key",
    "USERPOOLS_OUTBOX_CONTENT": "keep message bodies and codes in the outbox",
    "USERPOOLS_OUTBOX_RETENTION": "seconds an outbox message is kept",
    "USERPOOLS_MAX_BODY_BYTES": "largest request body accepted",
    "USERPOOLS_MAX_HEADER_BYTES": "largest request head accepted",
    "USERPOOLS_REQUEST_TIMEOUT": "seconds a whole request may take to arrive",
    "USERPOOLS_KEEP_ALIVE_TIMEOUT": "seconds an idle keep-alive connection is kept",
    "USERPOOLS_MAX_CONNECTIONS": "open connections per process",
    "USERPOOLS_RATE_LIMIT_ADDRESS": "requests a second per client address (0: off)",
    "USERPOOLS_RATE_LIMIT_POOL": "requests a second per pool (0: off)",
    "USERPOOLS_CONSOLE_PASSWORD": "a password that signs in to the web console (besides a configured key)",
    "USERPOOLS_SEED": "a JSON or YAML file of pools, clients, groups and users loaded at start and after a reset",
    "USERPOOLS_MAX_UPLOAD_BYTES": "largest user import CSV file accepted at its PreSignedUrl",
    "USERPOOLS_REGIONS": "further regions whose SigV4 scope signed requests may name (replicas)",
    "USERPOOLS_LOG_LEVEL": "debug, info, warning or error",
    "USERPOOLS_LOG_FORMAT": "text or json (one JSON object per line)",
    "USERPOOLS_TLS": "true: serve HTTPS with a certificate from a local CA the server creates (tls.py)",
    "USERPOOLS_TLS_DIR": "where the local CA and the server certificate are kept (default: beside the database)",
    "USERPOOLS_CA_BUNDLE": "PEM file of CA certificates trusted for outbound HTTPS, besides the system's",
    "USERPOOLS_SOCIAL_ENDPOINTS": "Type=URL[,...]: a social provider type's endpoints served at URL instead",
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
    # Threads running requests (app.Gateway), sized for waiting rather than for the database: a trigger or
    # a mail server can take seconds, holding its thread but no connection.
    handler_threads: int = 32
    statement_timeout_ms: int = 15000
    log_sink: str | None = None  # the file pools' exported logs are appended to (SetLogDeliveryConfiguration)
    # The whole environment, for the senders and trigger invokers (their USERPOOLS_* variables are in
    # VARIABLES; AWS_REGION and AWS credentials for SNS and Lambda are read there too).
    env: Mapping[str, str] = field(default_factory=dict)
    # Connections and requests (connections.py): what one client can hold or send.
    max_body_bytes: int = 1_048_576
    max_upload_bytes: int = 536_870_912  # a user import's CSV file (web/uploads.py)
    max_header_bytes: int = 16_384
    request_timeout: float = 10.0
    keep_alive_timeout: int = 5
    max_connections: int = 1000
    # Requests a second per client address and per pool (ratelimit.py); 0 is off. Production mode: 50 and 120.
    rate_limit_address: float = 0.0
    rate_limit_pool: float = 0.0
    # Secrets at rest and the outbox (SECURITY.md).
    master_key: str | None = field(default=None, repr=False)
    master_key_file: str | None = None
    outbox_content: bool | None = None  # None: kept outside production mode only
    outbox_retention: float | None = None  # seconds; None: 24 h in production mode, forever outside it
    console_password: str | None = field(default=None, repr=False)  # web/console sign-in, besides a key
    seed: str | None = None  # seed.py: loaded at start-up and after every reset
    # Regions besides ``region`` a signed request may address (USERPOOLS_REGIONS); unsigned, any (regions.py).
    regions: tuple[str, ...] = ()
    # Logs (logs.py) and HTTPS from a local CA (tls.py).
    log_level: str = "info"
    log_format: str = "text"
    tls: bool = False
    tls_dir: str | None = None  # None: beside the database (tls.directory)
    ca_bundle: str | None = None  # outbound HTTPS (CIMD documents, identity providers) also trusts these CAs
    # Social provider type -> the base URL its documented endpoints are served at instead (web/oauth/social.py).
    social_endpoints: dict[str, str] = field(default_factory=dict)

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
        scheme = "https" if self.tls else "http"
        return (self.public_url or f"{scheme}://{self.host}:{self.port}").rstrip("/")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = dict(os.environ if env is None else env)
        credentials = {}
        for pair in filter(None, env.get("USERPOOLS_CREDENTIALS", "").split(",")):
            key, _, secret = pair.partition(":")
            credentials[key.strip()] = secret.strip()
        production = env.get("USERPOOLS_PRODUCTION", "").lower() in ("1", "true", "yes")
        values: dict[str, object] = {
            "host": env.get("USERPOOLS_HOST", cls.host),
            "port": int(env.get("USERPOOLS_PORT", cls.port)),
            "database_url": env.get("USERPOOLS_DATABASE_URL", DEFAULT_DATABASE_URL),
            "region": env.get("USERPOOLS_REGION", cls.region),
            "account_id": env.get("USERPOOLS_ACCOUNT_ID", cls.account_id),
            "public_url": env.get("USERPOOLS_PUBLIC_URL") or None,
            "credentials": credentials,
            "production": production,
            "db_pool_size": int(env.get("USERPOOLS_DB_POOL_SIZE", cls.db_pool_size)),
            "db_pool_overflow": int(env.get("USERPOOLS_DB_POOL_OVERFLOW", cls.db_pool_overflow)),
            "handler_threads": int(env.get("USERPOOLS_HANDLER_THREADS", cls.handler_threads)),
            "statement_timeout_ms": int(env.get("USERPOOLS_STATEMENT_TIMEOUT_MS", cls.statement_timeout_ms)),
            "log_sink": env.get("USERPOOLS_LOG_SINK") or None,
            "env": env,
            "max_body_bytes": int(env.get("USERPOOLS_MAX_BODY_BYTES", cls.max_body_bytes)),
            "max_upload_bytes": int(env.get("USERPOOLS_MAX_UPLOAD_BYTES", cls.max_upload_bytes)),
            "max_header_bytes": int(env.get("USERPOOLS_MAX_HEADER_BYTES", cls.max_header_bytes)),
            "request_timeout": float(env.get("USERPOOLS_REQUEST_TIMEOUT", cls.request_timeout)),
            "keep_alive_timeout": int(env.get("USERPOOLS_KEEP_ALIVE_TIMEOUT", cls.keep_alive_timeout)),
            "max_connections": int(env.get("USERPOOLS_MAX_CONNECTIONS", cls.max_connections)),
            "master_key": env.get("USERPOOLS_MASTER_KEY") or None,
            "master_key_file": env.get("USERPOOLS_MASTER_KEY_FILE") or None,
            "outbox_content": _flag(env.get("USERPOOLS_OUTBOX_CONTENT")),
            "outbox_retention": float(env["USERPOOLS_OUTBOX_RETENTION"])
            if env.get("USERPOOLS_OUTBOX_RETENTION")
            else None,
            "rate_limit_address": float(env.get("USERPOOLS_RATE_LIMIT_ADDRESS", 50 if production else 0)),
            "rate_limit_pool": float(env.get("USERPOOLS_RATE_LIMIT_POOL", 120 if production else 0)),
            "console_password": env.get("USERPOOLS_CONSOLE_PASSWORD") or None,
            "seed": env.get("USERPOOLS_SEED") or None,
            "regions": tuple(r.strip() for r in env.get("USERPOOLS_REGIONS", "").split(",") if r.strip()),
            "log_level": env.get("USERPOOLS_LOG_LEVEL") or cls.log_level,
            "log_format": env.get("USERPOOLS_LOG_FORMAT") or cls.log_format,
            "tls": bool(_flag(env.get("USERPOOLS_TLS"))),
            "tls_dir": env.get("USERPOOLS_TLS_DIR") or None,
            "ca_bundle": env.get("USERPOOLS_CA_BUNDLE") or None,
            "social_endpoints": _pairs(env.get("USERPOOLS_SOCIAL_ENDPOINTS", "")),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _flag(value: str | None) -> bool | None:
    return None if not value else value.lower() in ("1", "true", "yes")


def _pairs(value: str) -> dict[str, str]:
    """``Google=http://127.0.0.1:9001,Facebook=...`` as a mapping; ValueError for a part without ``=``."""
    pairs: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        name, sep, url = part.partition("=")
        if not sep or not url.strip().startswith(("http://", "https://")):
            raise ValueError(f"USERPOOLS_SOCIAL_ENDPOINTS: {part!r} is not Type=http(s)://...")
        if name.strip() not in ("Google", "Facebook", "LoginWithAmazon", "SignInWithApple"):
            raise ValueError(f"USERPOOLS_SOCIAL_ENDPOINTS: {name.strip()!r} is not a social provider type")
        pairs[name.strip()] = url.strip().rstrip("/")
    return pairs
