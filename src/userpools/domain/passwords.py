"""Password policies: checking a password against one, and generating a temporary password that meets it."""

from __future__ import annotations

import secrets
import string
from typing import Any

from userpools.domain.errors import InvalidPasswordException

SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "
DEFAULT_POLICY: dict[str, Any] = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}


def effective(policy: dict[str, Any] | None) -> dict[str, Any]:
    merged = dict(DEFAULT_POLICY)
    merged.update({k: v for k, v in (policy or {}).items() if v is not None})
    if not merged.get("TemporaryPasswordValidityDays"):
        merged["TemporaryPasswordValidityDays"] = 7
    return merged


def check(password: str, policy: dict[str, Any] | None) -> None:
    """Raise InvalidPasswordException with Cognito's wording for the first rule broken."""
    rules = effective(policy)
    prefix = "Password did not conform with policy: "
    if password != password.strip():
        raise InvalidPasswordException(prefix + "Password must not have leading or trailing whitespace")
    if len(password) < int(rules["MinimumLength"]):
        raise InvalidPasswordException(prefix + "Password not long enough")
    if rules["RequireLowercase"] and not any(c.islower() for c in password):
        raise InvalidPasswordException(prefix + "Password must have lowercase characters")
    if rules["RequireUppercase"] and not any(c.isupper() for c in password):
        raise InvalidPasswordException(prefix + "Password must have uppercase characters")
    if rules["RequireNumbers"] and not any(c.isdigit() for c in password):
        raise InvalidPasswordException(prefix + "Password must have numeric characters")
    if rules["RequireSymbols"] and not any(c in SYMBOLS for c in password):
        raise InvalidPasswordException(prefix + "Password must have symbol characters")


def _draw(alphabet: str, count: int) -> list[str]:
    """``count`` characters drawn uniformly from ``alphabet`` (at most 256), from one read of the OS's
    random source: bytes past the largest multiple of the alphabet's size are rejected, so none is favoured."""
    limit = 256 - 256 % len(alphabet)
    drawn: list[str] = []
    while len(drawn) < count:
        drawn.extend(alphabet[b % len(alphabet)] for b in secrets.token_bytes(2 * count) if b < limit)
    return drawn[:count]


_SYMBOLS = "^$*.!@#%&_-+="
_CLASSES = (string.ascii_uppercase, string.ascii_lowercase, string.digits, _SYMBOLS)
_ANY = string.ascii_letters + string.digits + _SYMBOLS


def generate(policy: dict[str, Any] | None) -> str:
    """A temporary password with every character class, long enough for the policy: drawn uniformly from
    the passwords of that length that have all four (about two draws in three qualify at 12 characters)."""
    rules = effective(policy)
    length = max(int(rules["MinimumLength"]), 12)
    while True:
        password = "".join(_draw(_ANY, length))
        if all(any(c in alphabet for c in password) for alphabet in _CLASSES):
            return password
