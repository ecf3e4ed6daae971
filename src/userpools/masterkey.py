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
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from userpools.domain.sealing import Keyring, MasterKey, new_key_text, parse_key
from userpools.settings import Settings

if TYPE_CHECKING:
    from userpools.storage.engine import Store

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


def load(settings: Settings, *, warn: bool = True) -> Keyring:
    """The keyring the server seals with, or MasterKeyError with what to set; ``warn``: log the development
    mode warning (each server process does, once)."""
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
    if warn:
        log.warning(
            "USERPOOLS_MASTER_KEY is not set: secrets at rest are sealed with the generated key in %s "
            "(local development mode; set USERPOOLS_MASTER_KEY_FILE in production).",
            path,
        )
    return Keyring(key)


def check_database(store: Store, keyring: Keyring, now: datetime) -> None:
    """Refuse a key other than the one the database's secrets are sealed under (the database records its id)."""
    from userpools.storage.sealed import KEY_ID

    with store.transaction() as tx:
        sealed_under = tx.keys.server_secret(KEY_ID, lambda: keyring.current.id, now)
    if sealed_under not in {key.id for key in (keyring.current, *keyring.older)}:
        raise MasterKeyError(
            f"this database's secrets are sealed under master key {sealed_under}, not the configured key "
            f"{keyring.current.id}: start with the key it was written with (SECURITY.md)"
        )


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


def rotate(settings: Settings, new_key_file: Path) -> str:
    """Re-seal every secret of the database under the key in ``new_key_file`` (generated there, mode 0600,
    if the file does not exist), in one transaction; outstanding one-time codes are discarded. A generated
    development key file is replaced by the new key; otherwise point the setting at it. What happened, in words.

    Stop the servers first and start them with the new key after: a server still holding only the old key
    cannot open what is sealed under the new one."""
    from userpools.storage.engine import Store
    from userpools.storage.sealed import rotate_in

    old = load(settings)
    if not new_key_file.exists():
        write_key_file(new_key_file, new_key_text())
    new = Keyring(read_key_file(new_key_file))
    if new.current.id == old.current.id:
        raise MasterKeyError(f"{new_key_file} holds the key already in use")
    store = Store(settings.database_url)
    try:
        store.migrate(old)
        check_database(store, old, datetime.now(UTC))
        with store.transaction() as tx:
            resealed, discarded = rotate_in(tx, old, new)
    finally:
        store.close()
    done = f"re-sealed {resealed} secrets under key {new.current.id}; discarded {discarded} outstanding codes."
    development = development_key_path(settings)
    if not (settings.master_key or settings.master_key_file) and development is not None:
        write_key_file(development, new_key_file.read_text())
        return f"{done} {development} now holds the new key."
    return f"{done} Start the servers with USERPOOLS_MASTER_KEY_FILE={new_key_file}."
