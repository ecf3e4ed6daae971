"""The master key that seals secrets at rest (domain/sealing.py): loaded once at start-up.

From USERPOOLS_MASTER_KEY (the key's text) or USERPOOLS_MASTER_KEY_FILE (a file holding it). Without
either, production mode refuses to start; otherwise (local development) a key is generated once and
kept in a file of mode 0600 beside the SQLite database (``<database>-master-key``), or in
``.userpools/master-key`` for PostgreSQL, with a warning: whoever can read that file and the database
can read the secrets, which is the point of setting a key of one's own.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from userpools.domain.sealing import Keyring, MasterKey, new_key_text, parse_key
from userpools.settings import Settings

log = logging.getLogger("userpools")

DEV_KEY_DIR = Path(".userpools")


class MasterKeyError(RuntimeError):
    """No usable master key: the server must not start."""


def development_key_path(settings: Settings) -> Path | None:
    """Where local development mode keeps its generated key; None for an in-memory database."""
    url = settings.database_url
    if url.startswith("sqlite"):
        database = url.split(":///", 1)[1] if ":///" in url else ""
        if database in ("", ":memory:"):
            return None
        return Path(database).with_name(Path(database).name + "-master-key")
    return DEV_KEY_DIR / "master-key"


def read_key_file(path: str | Path) -> MasterKey:
    try:
        text = Path(path).read_text()
    except OSError as error:
        raise MasterKeyError(f"cannot read the master key file {path}: {error.strerror}") from None
    try:
        return parse_key(text)
    except ValueError as error:
        raise MasterKeyError(f"{path}: {error}") from None


def load(settings: Settings) -> Keyring:
    """The keyring the server seals with, or MasterKeyError with what to set."""
    if settings.master_key:
        try:
            return Keyring(parse_key(settings.master_key))
        except ValueError as error:
            raise MasterKeyError(f"USERPOOLS_MASTER_KEY: {error}") from None
    if settings.master_key_file:
        return Keyring(read_key_file(settings.master_key_file))
    if settings.production:
        raise MasterKeyError(
            "production mode needs a master key to seal secrets at rest: set USERPOOLS_MASTER_KEY_FILE to a file "
            "holding one (e.g. `openssl rand -base64 32 > key; chmod 600 key`) or USERPOOLS_MASTER_KEY (SECURITY.md)"
        )
    path = development_key_path(settings)
    if path is None:
        return Keyring(parse_key(new_key_text()))
    key = _read_or_create(path)
    log.warning(
        "USERPOOLS_MASTER_KEY is not set: secrets at rest are sealed with the generated key in %s "
        "(local development mode; set USERPOOLS_MASTER_KEY_FILE in production).",
        path,
    )
    return Keyring(key)


def _read_or_create(path: Path) -> MasterKey:
    """The key in ``path``, written first if missing: atomically, so concurrent workers agree on one key."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(new_key_text() + "\n")
        try:
            os.link(draft, path)  # fails if another process wrote one meanwhile: then its key is the key
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return read_key_file(path)


def write_key_file(path: Path, text: str) -> None:
    """Write a key file of mode 0600 (replacing one atomically)."""
    draft = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text.strip() + "\n")
    os.replace(draft, path)
