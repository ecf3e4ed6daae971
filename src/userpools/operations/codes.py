"""One-time codes sent to users (sign-up, password reset, attribute verification): made, delivered to the
outbox, checked. Codes are stored hashed, expire, are single-use and allow a few wrong attempts."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from typing import Any

from userpools.domain import messages
from userpools.domain.errors import CodeMismatchException, ExpiredCodeException, LimitExceededException
from userpools.domain.users import User
from userpools.operations import followup, messaging
from userpools.operations.context import Context
from userpools.storage.codes import code_hash
from userpools.storage.unit import Tx

VALIDITY = {"SIGN_UP": timedelta(hours=24), "FORGOT_PASSWORD": timedelta(hours=1)}
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


def send(ctx: Context, tx: Tx, user: User, *, purpose: str, kind: str, medium: str, template: str,
         subject: str | None) -> dict[str, Any]:
    """Make a code for ``purpose``, deliver it, and return CodeDeliveryDetailsType."""
    assert user.id is not None
    code = f"{secrets.randbelow(10**6):06d}"
    tx.codes.put(user.id, purpose, code, ctx.clock.now() + VALIDITY.get(purpose, DEFAULT_VALIDITY))
    to = messaging.destination(user, medium, required=True)
    assert to is not None
    body = messages.fill(template, code=code, username=user.username)
    rendered = messages.Rendered(medium, subject if medium == "EMAIL" else None, body)
    messaging.record(ctx, tx, user, kind, rendered, to, code)
    return {"Destination": mask(to, medium), "DeliveryMedium": medium, "AttributeName": _ATTRIBUTE[medium]}


def check(ctx: Context, tx: Tx, user: User, purpose: str, code: str) -> None:
    """Accept the code once, or raise Cognito's error; a wrong code counts one attempt.

    A wrong attempt must survive the error's rollback: it is counted by a follow-up (run the request
    with :func:`userpools.operations.followup.transact`).
    """
    assert user.id is not None
    row = tx.codes.get(user.id, purpose)
    if row is None or row["expires"] <= ctx.clock.now():
        raise ExpiredCodeException("Invalid code provided, please request a code again.")
    if row["attempts"] >= MAX_ATTEMPTS:
        raise LimitExceededException("Attempt limit exceeded, please try after some time.")
    if not hmac.compare_digest(row["code_hash"], code_hash(code)):
        user_id = user.id
        raise followup.attach(CodeMismatchException("Invalid verification code provided, please try again."),
                              lambda other: other.codes.count_attempt(user_id, purpose))
    tx.codes.discard(user.id, purpose)
