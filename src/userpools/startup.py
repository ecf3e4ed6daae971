"""``userpools serve`` from settings to a listening server, explaining every way it can fail.

Order matters: settings are read, the master key loaded and the database opened and upgraded (each
problem one :class:`ConfigError` line naming the setting), then the port is bound (a busy port is one more
such line), and only then is the banner printed: what it says is true by the time it is read.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import socket
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, cast

import uvicorn
from uvicorn.supervisors import Multiprocess

from userpools import __version__, logs, tls
from userpools.settings import VARIABLES, Settings
from userpools.storage import preflight

log = logging.getLogger("userpools")


class ConfigError(Exception):
    """The server cannot start as configured: one line saying which setting and what to do."""


@dataclass(frozen=True)
class Options:
    """What ``serve`` was asked besides the settings."""

    workers: int = 1


def load_settings(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings.from_env, with a setting that does not parse named (e.g. ``USERPOOLS_PORT=abc``)."""
    env = dict(os.environ if env is None else env)
    try:
        settings = Settings.from_env(env, **overrides)
    except ValueError as error:
        for name in VARIABLES:
            if name in env:
                try:
                    Settings.from_env({name: env[name]})
                except ValueError:
                    raise ConfigError(f"{name}={env[name]!r} is not valid: {error}.") from None
        raise ConfigError(f"a USERPOOLS_* setting is not valid: {error}.") from None
    if settings.log_level.lower() not in logs.LEVELS:
        raise ConfigError(f"USERPOOLS_LOG_LEVEL (--log-level) must be one of {', '.join(logs.LEVELS)}.")
    if settings.log_format not in logs.FORMATS:
        raise ConfigError(f"USERPOOLS_LOG_FORMAT (--log-format) must be one of {', '.join(logs.FORMATS)}.")
    if not 0 <= settings.port <= 65535:
        raise ConfigError(f"USERPOOLS_PORT (--port) must be between 0 and 65535, not {settings.port}.")
    return settings


def prepare_database(settings: Settings, workers: int) -> Settings:
    """Load the master key, open and upgrade the database; the settings with the URL the server opens."""
    from userpools import masterkey

    url = preflight.resolve(settings.database_url)
    settings = replace(settings, database_url=url)
    if preflight.scheme_problem(url) is None and url.startswith("sqlite"):
        problem = preflight.sqlite_path_problem(url)  # before the master key is written beside the database
        if problem:
            raise ConfigError(problem)
    try:
        keyring = masterkey.load(settings, warn=False)
    except masterkey.MasterKeyError as error:
        raise ConfigError(str(error)) from None

    def open_and_upgrade(url: str) -> None:
        from userpools.clock import SystemClock
        from userpools.storage.engine import Store

        store = Store(url, pool_size=1, statement_timeout_ms=settings.statement_timeout_ms)
        try:
            store.migrate(keyring)
            masterkey.check_database(store, keyring, SystemClock().now())
        finally:
            store.close()

    try:
        preflight.check(url, open_and_upgrade)
    except preflight.DatabaseProblem as problem:
        raise ConfigError(str(problem)) from None
    except masterkey.MasterKeyError as error:
        raise ConfigError(str(error)) from None
    if settings.seed:  # once, before any worker starts; workers and resets read it from any directory
        settings = replace(settings, seed=os.path.abspath(settings.seed))
        from userpools.seed import SeedError

        try:
            log.info("seed %s: %s", settings.seed, apply_seed(settings))
        except SeedError as error:
            raise ConfigError(f"USERPOOLS_SEED (--seed): {error}") from None
    return settings


def apply_seed(settings: Settings) -> str:
    """Load the seed file into the (upgraded) database before the port is bound; what it did, in a few words."""
    from userpools import seed
    from userpools.app import create_app
    from userpools.steps import pagination

    assert settings.seed
    data = seed.load(settings.seed)  # SeedError before the database is opened for a file that does not parse
    context = cast(Any, create_app(settings)).state.context  # the app is never served: its context is wanted
    try:
        pagination.load_key(context)
        return seed.apply(context, data, settings.seed).line()
    finally:
        context.store.close()


def bind(settings: Settings) -> socket.socket:
    """The listening socket, or a ConfigError saying why the address cannot be had."""
    where = f"{settings.host}:{settings.port}"
    try:
        infos = socket.getaddrinfo(settings.host, settings.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise ConfigError(f"USERPOOLS_HOST (--host) {settings.host!r} is not an address: {error.strerror}.") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"port {settings.port} on {settings.host} is already in use (USERPOOLS_PORT, --port): stop what is "
                "using it, or choose another port."
            ) from None
        if error.errno == errno.EACCES:
            raise ConfigError(
                f"cannot listen on {where}: permission denied (ports below 1024 need privileges). "
                "Choose another USERPOOLS_PORT (--port)."
            ) from None
        if error.errno == errno.EADDRNOTAVAIL:
            raise ConfigError(
                f"USERPOOLS_HOST (--host) {settings.host} is not an address of this machine. "
                "Use 127.0.0.1, 0.0.0.0 or one of its addresses."
            ) from None
        raise ConfigError(f"cannot listen on {where}: {error.strerror}.") from None
    sock.set_inheritable(True)
    return sock


def banner(settings: Settings, sock: socket.socket, workers: int, certificate: tls.TlsFiles | None = None) -> str:
    """What the server is, in a few lines: where it listens and what it was configured with."""
    host, port = sock.getsockname()[:2]
    scheme = "https" if settings.tls else "http"
    listening = f"{scheme}://{host}:{port}"
    database = preflight.redacted(settings.database_url)
    if preflight.is_memory(settings.env.get("USERPOOLS_DATABASE_URL", "")) or "/userpools-memory-" in database:
        database += " (in memory, removed when the server stops)"
    env = settings.env
    if settings.credentials:
        keys = ", ".join(sorted(settings.credentials))
        credentials = f"SigV4 signatures by {len(settings.credentials)} key(s) required ({keys})"
    else:
        credentials = "none: any caller accepted (local development mode; set USERPOOLS_CREDENTIALS to lock)"
    senders = ["outbox (GET /_userpools/outbox, `userpools outbox`)"]
    if env.get("USERPOOLS_SMTP_URL"):
        senders.append(f"email by SMTP {preflight.redacted(env['USERPOOLS_SMTP_URL'])}")
    if env.get("USERPOOLS_SNS_ENDPOINT"):
        senders.append(f"SMS by SNS at {env['USERPOOLS_SNS_ENDPOINT']}")
    triggers = []
    if env.get("USERPOOLS_LAMBDA_ENDPOINT"):
        triggers.append(f"Lambda Invoke API at {env['USERPOOLS_LAMBDA_ENDPOINT']}")
    if env.get("USERPOOLS_TRIGGERS_CONFIG"):
        triggers.append(f"routes in {env['USERPOOLS_TRIGGERS_CONFIG']}")
    lines = [
        f"userpools {__version__} listening on {listening}" + (f" ({workers} workers)" if workers > 1 else ""),
        f"  database     {database}",
        f"  region       {settings.region} (account {settings.account_id})",
        f"  public URL   {settings.base_url} (token issuer {settings.base_url}/<pool id>)",
        f"  credentials  {credentials}",
        f"  senders      {'; '.join(senders)}",
        f"  triggers     {'; '.join(triggers) or 'none configured (pools naming a Lambda ARN fail its event)'}",
    ]
    if certificate is not None:
        lines.append(
            f"  TLS          certificate for {', '.join(certificate.names)} from the local CA {certificate.ca} "
            "(trust it: NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE, REQUESTS_CA_BUNDLE or `userpools tls-ca`)"
        )
    if settings.production:
        lines.append("  mode         production")
    return "\n".join(lines)


def worker_environment(settings: Settings) -> dict[str, str]:
    """Workers are separate processes: the resolved settings reach them through the environment."""
    return {
        "USERPOOLS_HOST": settings.host,
        "USERPOOLS_PORT": str(settings.port),
        "USERPOOLS_DATABASE_URL": settings.database_url,
        "USERPOOLS_REGION": settings.region,
        "USERPOOLS_SEED": settings.seed or "",
        "USERPOOLS_LOG_LEVEL": settings.log_level,
        "USERPOOLS_LOG_FORMAT": settings.log_format,
        "USERPOOLS_TLS": "true" if settings.tls else "",
        "USERPOOLS_TLS_DIR": settings.tls_dir or "",
    }


def serve(settings: Settings, options: Options, announce: Callable[[str], None] | None = None) -> None:
    """Check, bind, announce and serve until stopped; ConfigError before anything is served."""
    if options.workers < 1:
        raise ConfigError("--workers must be 1 or more.")
    logs.configure(settings.log_level, settings.log_format)
    tls_folder = tls.directory(settings)  # before an in-memory database's URL becomes a temporary file's
    settings = prepare_database(settings, options.workers)
    sock = bind(settings)
    if settings.port == 0:  # a free port chosen by the system: the workers and the issuer use it
        settings = replace(settings, port=sock.getsockname()[1])
    certificate: tls.TlsFiles | None = None
    if settings.tls:
        settings = replace(settings, tls_dir=str(tls_folder.resolve()))
        try:
            certificate = tls.ensure(settings)
        except tls.TlsError as error:
            sock.close()
            raise ConfigError(str(error)) from None
    os.environ.update(worker_environment(settings))
    config = uvicorn.Config(
        "userpools.asgi:app",
        host=settings.host,
        port=settings.port,
        workers=options.workers,
        log_config=None,
        log_level=logs.uvicorn_level(settings.log_level),  # its start/stop lines say less than the banner
        access_log=False,
        http="userpools.connections:GuardedProtocol",  # request deadline, size and connection caps
        timeout_keep_alive=settings.keep_alive_timeout,
        ssl_certfile=str(certificate.cert) if certificate else None,
        ssl_keyfile=str(certificate.key) if certificate else None,
    )
    text = banner(settings, sock, options.workers, certificate)
    say = announce or (lambda line: print(line, flush=True))
    if options.workers > 1:
        say(text)
        Multiprocess(config, sockets=[sock]).run()
        return
    server = _AnnouncingServer(config, lambda: say(text))
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
    if not server.started:
        sys.exit(3)


class _AnnouncingServer(uvicorn.Server):
    """uvicorn's Server, printing the banner once the application has started (its lifespan done)."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_started()
