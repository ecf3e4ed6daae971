"""domain/sealing.py: sealed values open only with their key and purpose; digests are keyed and bound."""

from __future__ import annotations

import base64

import pytest

from userpools.domain import sealing
from userpools.domain.sealing import Keyring, SealingError, new_key_text, parse_key


def keyring() -> Keyring:
    return Keyring(parse_key(new_key_text()))


def test_a_sealed_value_opens_with_its_key_and_purpose_only() -> None:
    ring, other = keyring(), keyring()
    sealed = sealing.seal(ring, "client-secret", "s3cret")
    assert "s3cret" not in sealed and sealed.startswith(f"v1:{ring.current.id}:")
    assert sealed != sealing.seal(ring, "client-secret", "s3cret")  # a fresh nonce each time
    assert sealing.unseal(ring, "client-secret", sealed) == "s3cret"
    with pytest.raises(SealingError):
        sealing.unseal(ring, "signing-key", sealed)  # another column's value cannot be passed off
    with pytest.raises(SealingError):
        sealing.unseal(other, "client-secret", sealed)
    tampered = sealed[:-10] + ("A" if sealed[-10] != "A" else "B") + sealed[-9:]  # inside the tag
    with pytest.raises(SealingError):
        sealing.unseal(ring, "client-secret", tampered)
    assert sealing.unseal(Keyring(other.current, (ring.current,)), "client-secret", sealed) == "s3cret"


def test_digests_are_keyed_and_bound_to_their_purpose() -> None:
    ring = keyring()
    stored = sealing.digest(ring, "code:1:SIGN_UP", "123456")
    assert sealing.matches(ring, "code:1:SIGN_UP", stored, "123456")
    assert not sealing.matches(ring, "code:1:SIGN_UP", stored, "123457")
    assert not sealing.matches(ring, "code:2:SIGN_UP", stored, "123456")
    assert not sealing.matches(keyring(), "code:1:SIGN_UP", stored, "123456")
    assert stored != sealing.digest(keyring(), "code:1:SIGN_UP", "123456")
    assert not sealing.matches(ring, "code:1:SIGN_UP", "e10adc3949ba59abbe56e057f20f883e", "123456")


def test_keys_are_base64_of_32_bytes() -> None:
    raw = bytes(range(32))
    assert parse_key(base64.b64encode(raw).decode() + "\n").secret == raw  # openssl rand -base64 32
    assert parse_key(base64.urlsafe_b64encode(raw).decode()).secret == raw
    for bad in ("", "not base64!", base64.b64encode(b"short").decode()):
        with pytest.raises(ValueError):
            parse_key(bad)
