"""What the outbox keeps of a message, at rest: which parts are sealed, and the lookup key of a destination.

The destination (an email address or phone number) and the subject are personal data, sealed like bodies
and codes (domain/sealing.py). A sealed value is different every time it is written, so it cannot be
looked up; the outbox's ``?destination=`` filter finds rows by ``destination_key`` instead: a keyed digest
(HMAC under the master key) of the destination, lower-cased, so lookups stay index lookups and stay
case-insensitive for email addresses. Choice: ``?destination=`` matches regardless of case.
"""

from __future__ import annotations

from userpools.domain import sealing

BODY = "outbox-body"
CODE = "outbox-code"
SUBJECT = "outbox-subject"
DESTINATION = "outbox-destination"
DESTINATION_KEY = "outbox-destination-key"  # the digest's purpose, apart from the seal's


def destination_key(keyring: sealing.Keyring, destination: str) -> str:
    """The indexed lookup key of ``destination``: the same for every message to it, whatever its case."""
    return sealing.digest(keyring, DESTINATION_KEY, destination.strip().lower())


def seal_optional(keyring: sealing.Keyring, purpose: str, value: str | None) -> str | None:
    return sealing.seal(keyring, purpose, value) if value else value


def unseal_optional(keyring: sealing.Keyring, purpose: str, stored: str | None) -> str | None:
    """A sealed value opened; an empty or missing one (not kept) as None."""
    return sealing.unseal(keyring, purpose, stored) if stored else None
