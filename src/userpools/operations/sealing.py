"""Secrets the server must read back (TOTP seeds), sealed before they are stored.

The one place that seals and unseals them: Fernet under a server key kept in the database, the
mechanism that encrypts client secrets (operations/clients.py). A master-key seal can replace it here.
"""

from __future__ import annotations

from datetime import datetime

from cryptography.fernet import Fernet

from userpools.storage.unit import Tx

KEY_NAME = "mfa-secret-fernet-key"


def _fernet(tx: Tx, now: datetime) -> Fernet:
    return Fernet(tx.keys.server_secret(KEY_NAME, lambda: Fernet.generate_key().decode(), now).encode())


def seal(tx: Tx, now: datetime, secret: str) -> str:
    return _fernet(tx, now).encrypt(secret.encode()).decode()


def unseal(tx: Tx, now: datetime, sealed: str) -> str:
    return _fernet(tx, now).decrypt(sealed.encode()).decode()
