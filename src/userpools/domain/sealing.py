"""Secrets at rest: sealing what must be recovered, keyed digests of what need only be checked.

Every secret the server must read back (client secrets, signing keys' private PEMs, outbox bodies and
codes, TOTP seeds, ...) is stored as ``seal(keyring, purpose, value)`` and read with
``unseal(keyring, purpose, stored)``. Operations reach the keyring as ``ctx.keyring`` (loaded at start-up
from USERPOOLS_MASTER_KEY or USERPOOLS_MASTER_KEY_FILE, see :mod:`userpools.masterkey`); storage only
ever sees the sealed text. ``purpose`` names the column or use ("client-secret", "totp-secret", ...):
it is bound into the seal, so a value sealed for one use cannot be passed off as another's.

A sealed value is ``v1:<key id>:<base64url(nonce | AES-256-GCM ciphertext and tag)>``. The key id lets
``userpools rotate-master-key`` re-seal everything under a new key, and a keyring holding both keys read
either while that happens.

Secrets checked but never shown again (one-time codes) are stored as ``digest(keyring, purpose, value)``:
an HMAC-SHA256 under a key derived from the master key (HKDF), so a stolen database cannot be searched
for six-digit codes as an unsalted hash can. A digest cannot be re-keyed: rotation discards them.

Pure functions: no I/O, the key is passed in.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
_NONCE = 12
_SEALED = "v1"
_DIGEST = "h1"


class SealingError(ValueError):
    """A sealed value that this keyring cannot open: a key it does not hold, or tampered text."""


@dataclass(frozen=True)
class MasterKey:
    secret: bytes = field(repr=False)

    @property
    def id(self) -> str:
        """Eight hex digits naming the key (not secret: a hash of it under a fixed label)."""
        return _key_id(self.secret)

    def derived(self, purpose: str) -> bytes:
        """A key for one use, so the AES key never serves as an HMAC key too."""
        return _derive(self.secret, purpose)


@functools.cache
def _key_id(secret: bytes) -> str:
    return hashlib.sha256(b"userpools master key id\0" + secret).hexdigest()[:8]


@functools.cache
def _derive(secret: bytes, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(secret)


@dataclass(frozen=True)
class Keyring:
    """The key that seals (``current``) and every key that may still open (``current`` and ``older``)."""

    current: MasterKey
    older: tuple[MasterKey, ...] = ()

    def by_id(self, key_id: str) -> MasterKey:
        for key in (self.current, *self.older):
            if key.id == key_id:
                return key
        raise SealingError(f"no master key with id {key_id} is configured")


def new_key_text() -> str:
    """A fresh master key as text (base64url of 32 random bytes), as a key file holds it."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode()


def parse_key(text: str) -> MasterKey:
    """A key file's or setting's text: base64 (standard or URL-safe) of 32 bytes, e.g. ``openssl rand -base64 32``."""
    cleaned = text.strip()
    try:
        raw = base64.b64decode(cleaned.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("a master key is the base64 encoding of 32 random bytes") from None
    if len(raw) != KEY_BYTES:
        raise ValueError(f"a master key is 32 bytes (base64: 44 characters); this one is {len(raw)} bytes")
    return MasterKey(raw)


def seal(keyring: Keyring, purpose: str, value: str) -> str:
    key = keyring.current
    nonce = os.urandom(_NONCE)
    box = AESGCM(key.derived("userpools seal")).encrypt(nonce, value.encode(), purpose.encode())
    return f"{_SEALED}:{key.id}:{base64.urlsafe_b64encode(nonce + box).decode()}"


def is_sealed(stored: str) -> bool:
    return stored.startswith(_SEALED + ":")


def key_id_of(stored: str) -> str:
    """The id of the key that sealed (or digested) ``stored``."""
    return stored.split(":", 2)[1]


def unseal(keyring: Keyring, purpose: str, stored: str) -> str:
    version, key_id, text = [*stored.split(":", 2), "", ""][:3]
    if version != _SEALED:
        raise SealingError("not a sealed value")
    try:
        raw = base64.urlsafe_b64decode(text)
        opened = AESGCM(keyring.by_id(key_id).derived("userpools seal")).decrypt(
            raw[:_NONCE], raw[_NONCE:], purpose.encode()
        )
    except (InvalidTag, binascii.Error, ValueError) as error:
        if isinstance(error, SealingError):
            raise
        raise SealingError(f"a sealed {purpose} could not be opened (wrong key or altered)") from None
    return opened.decode()


def digest(keyring: Keyring, purpose: str, value: str) -> str:
    key = keyring.current
    return f"{_DIGEST}:{key.id}:{_mac(key, purpose, value)}"


def matches(keyring: Keyring, purpose: str, stored: str, value: str) -> bool:
    """Whether ``value`` is what ``stored`` (a :func:`digest`) was made of, in constant time."""
    version, key_id, mac = [*stored.split(":", 2), "", ""][:3]
    if version != _DIGEST:
        return False
    try:
        key = keyring.by_id(key_id)
    except SealingError:
        return False
    return hmac.compare_digest(mac, _mac(key, purpose, value))


def _mac(key: MasterKey, purpose: str, value: str) -> str:
    message = purpose.encode() + b"\0" + value.encode("utf-8", "surrogatepass")
    return hmac.new(key.derived("userpools digest"), message, hashlib.sha256).hexdigest()
