"""One-time codes sent to users (sign-up, password reset, attribute verification): made, delivered, checked.

Sending one is three steps, as for every message (see steps/messaging.py): ``prepare`` (runs the
CustomMessage trigger, outside any transaction), ``deliver`` (SMTP/SNS, outside any transaction),
``store`` (the code and the outbox row, in the operation's write transaction).
Codes are stored as keyed digests (domain/sealing.py: HMAC-SHA256 under a key derived from the master key,
bound to the user and purpose), expire, are single-use and allow a few wrong attempts."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from userpools.domain import messages, sealing
from userpools.domain.errors import CodeMismatchException, ExpiredCodeException, LimitExceededException
from userpools.domain.pools import Pool
from userpools.domain.users import User
from userpools.steps import followup, messaging, triggers
from userpools.steps.context import Context
from userpools.storage.unit import Tx

VALIDITY = {"SIGN_UP": timedelta(hours=24), "FORGOT_PASSWORD": timedelta(hours=1)}
RESET_SUBJECT = "Your password reset code"
RESET_MESSAGE = "Your password reset code is {####}. "
DEFAULT_VALIDITY = timedelta(hours=24)
MAX_ATTEMPTS = 5
_ATTRIBUTE = {"EMAIL": "email", "SMS": "phone_number"}
_MEDIUM = {"email": "EMAIL", "phone_number": "SMS"}


def mask(value: str, medium: str) -> str:
    """Cognito's masked destination: ``a***@e***`` for emails, ``+*******1234`` for phone numbers."""
    if medium == "EMAIL":
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    return "+" + "*" * max(len(value) - 5, 0) + value[-4:]


def medium_for(attribute: str) -> str:
    return _MEDIUM[attribute]


@dataclass(frozen=True)
class CodeMessage:
    """A code about to be sent: its purpose, the message carrying it, and where it goes."""

    purpose: str
    code: str
    outgoing: messaging.Outgoing

    @property
    def medium(self) -> str:
        return self.outgoing.message.medium

    def delivery(self) -> dict[str, Any]:
        """CodeDeliveryDetailsType, the destination masked as Cognito masks it."""
        return {
            "Destination": mask(self.outgoing.to, self.medium),
            "DeliveryMedium": self.medium,
            "AttributeName": _ATTRIBUTE[self.medium],
        }


def prepare(
    ctx: Context,
    pool: Pool,
    user: User,
    *,
    purpose: str,
    kind: str,
    medium: str,
    template: str,
    subject: str | None,
    source: str,
    client_metadata: Mapping[str, str] | None,
    client_id: str | None,
) -> CodeMessage:
    """A new code and its message, after the CustomMessage trigger ``source`` (if the pool has one).

    Runs the trigger: call it outside any storage transaction. Nothing is stored yet.
    """
    to = messaging.destination(user, medium, required=True)
    assert to is not None
    code = f"{secrets.randbelow(10**6):06d}"
    custom = triggers.custom_message(
        ctx,
        pool,
        source,
        user.username,
        triggers.user_attributes(user),
        client_metadata=client_metadata,
        client_id=client_id,
    )
    body = messages.fill(custom.body(medium) or template, code=code, username=user.username)
    shown_subject = (custom.email_subject or subject) if medium == "EMAIL" else None
    rendered = messages.Rendered(medium, shown_subject, body)
    return CodeMessage(purpose, code, messaging.Outgoing(kind, rendered, to, code))


def deliver(ctx: Context, pool: Pool, user: User, prepared: list[CodeMessage]) -> list[str]:
    """Send the messages (outside any transaction); CodeDeliveryFailureException leaves nothing stored
    but the outbox rows of what was tried (see steps/messaging.py)."""
    return messaging.send(ctx, pool, user, [p.outgoing for p in prepared])


def store(ctx: Context, tx: Tx, user: User, prepared: list[CodeMessage], statuses: list[str]) -> None:
    """Keep the codes (replacing earlier ones for the same purpose) and record the messages."""
    assert user.id is not None
    for item in prepared:
        expires = ctx.clock.now() + VALIDITY.get(item.purpose, DEFAULT_VALIDITY)
        tx.codes.put(user.id, item.purpose, digest_of(ctx, user.id, item.purpose, item.code), expires)
    messaging.record_all(ctx, tx, user, [p.outgoing for p in prepared], statuses)


def _bound(user_id: int, purpose: str) -> str:
    """What a code's digest is bound to: its user and purpose, so equal codes never have equal digests."""
    return f"code:{user_id}:{purpose}"


def digest_of(ctx: Context, user_id: int, purpose: str, code: str) -> str:
    """How a code for ``user_id`` and ``purpose`` is stored: a keyed digest, never the code."""
    return sealing.digest(ctx.keyring, _bound(user_id, purpose), code)


def matches(ctx: Context, user_id: int, purpose: str, stored: str, code: str) -> bool:
    return sealing.matches(ctx.keyring, _bound(user_id, purpose), stored, code)


def check(ctx: Context, tx: Tx, user: User, purpose: str, code: str) -> None:
    """Accept the code once, or raise Cognito's error; a wrong code counts one attempt.

    A wrong attempt must survive the error's rollback: it is counted by a follow-up (run the request
    with :func:`userpools.steps.followup.transact`).
    """
    assert user.id is not None
    row = tx.codes.get(user.id, purpose)
    if row is None or row.expires <= ctx.clock.now():
        raise ExpiredCodeException("Invalid code provided, please request a code again.")
    if row.attempts >= MAX_ATTEMPTS:
        raise LimitExceededException("Attempt limit exceeded, please try after some time.")
    if not matches(ctx, user.id, purpose, row.code_hash, code):
        user_id = user.id
        raise followup.attach(
            CodeMismatchException("Invalid verification code provided, please try again."),
            lambda other: other.codes.count_attempt(user_id, purpose),
        )
    tx.codes.discard(user.id, purpose)
