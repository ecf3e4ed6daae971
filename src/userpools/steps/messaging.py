"""Messages to users: rendered, sent through the configured senders, written to the outbox.

Order, for every operation that sends (AdminCreateUser, AdminResetUserPassword, ...):

1. check and prepare everything, without holding a write transaction across network calls
   (triggers run before, and where writes are serial a write transaction holds the one write lock);
2. ``send`` each message: "SENT", or "OUTBOX_ONLY" when no sender is configured for its medium;
3. write the operation's changes and ``record`` each message with that status, in one transaction.

A message that cannot be sent stops the operation before anything of it is written: the
messages are recorded with their statuses ("SENT" for any that went out, "FAILED" for the one
that did not) in a transaction of their own, and the caller gets CodeDeliveryFailureException.
So a failed delivery never leaves a half-created user. The price: if step 3 then loses a race
(another request took the username meanwhile), a message has gone out for a change that did not
happen; the outbox keeps no row for it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from userpools.delivery import DeliveryError, Message
from userpools.domain import outbox as sealed_outbox
from userpools.domain import sealing
from userpools.domain.errors import CodeDeliveryFailureException, InvalidParameterException
from userpools.domain.messages import Rendered
from userpools.domain.pools import Pool
from userpools.domain.users import User
from userpools.steps import pool_logs
from userpools.steps.context import Context
from userpools.storage.unit import Tx

log = logging.getLogger(__name__)

_ATTRIBUTE = {"EMAIL": "email", "SMS": "phone_number"}
# Choice: the email wording is what Cognito answers when SES refuses; the SMS one mirrors it.
_FAILED = {
    "EMAIL": "Invalid email provided/Unable to send the email",
    "SMS": "Invalid phone number provided/Unable to send the SMS",
}


@dataclass(frozen=True)
class Outgoing:
    """One message an operation is about to send: what kind, the rendered text, where, the code."""

    kind: str
    message: Rendered
    to: str
    code: str | None


def destination(user: User, medium: str, *, required: bool) -> str | None:
    value = user.attributes.get(_ATTRIBUTE[medium])
    if not value and required:
        if medium == "EMAIL":
            raise InvalidParameterException("No email provided but desired delivery medium was Email")
        raise InvalidParameterException("No phone_number provided but desired delivery medium was SMS")
    return value


def sender_for(pool: Pool, medium: str) -> str | None:
    """The From address: the pool's EmailConfiguration.From; None lets the sender use
    USERPOOLS_EMAIL_FROM (or Cognito's no-reply address). SMS has no sender id here."""
    if medium != "EMAIL":
        return None
    configured = (pool.config.get("EmailConfiguration") or {}).get("From")
    return str(configured) if configured else None


def send(ctx: Context, pool: Pool, user: User, outgoing: list[Outgoing]) -> list[str]:
    """Send each message in turn; their statuses, or CodeDeliveryFailureException once one fails.

    On failure the messages tried so far are recorded (SENT ..., FAILED) before raising.
    """
    statuses: list[str] = []
    for item in outgoing:
        message = Message(
            pool_id=pool.id,
            username=user.username,
            medium="EMAIL" if item.message.medium == "EMAIL" else "SMS",
            destination=item.to,
            subject=item.message.subject,
            body=item.message.body,
            sender=sender_for(pool, item.message.medium),
        )
        try:
            statuses.append(ctx.senders.send(message))
        except DeliveryError as error:
            log.warning("%s delivery for pool %s failed: %s", item.message.medium, pool.id, error)
            pool_logs.emit(ctx, pool.id, "userNotification", _failure(item, user, error))
            statuses.append("FAILED")
            with ctx.store.transaction() as tx:
                record_all(ctx, tx, user, outgoing[: len(statuses)], statuses)
            raise CodeDeliveryFailureException(_FAILED[item.message.medium]) from None
    return statuses


def _failure(item: Outgoing, user: User, error: DeliveryError) -> dict[str, Any]:
    """A userNotification record's message: what could not be delivered to whom (never the text or code)."""
    return {
        "message": _FAILED[item.message.medium],
        "deliveryMedium": item.message.medium,
        "messageKind": item.kind,
        "userName": user.username,
        "error": str(error),
    }


def record_all(ctx: Context, tx: Tx, user: User, outgoing: list[Outgoing], statuses: list[str]) -> None:
    for item, status in zip(outgoing, statuses, strict=True):
        record(ctx, tx, user, item.kind, item.message, item.to, item.code, status=status)


def record(
    ctx: Context,
    tx: Tx,
    user: User,
    kind: str,
    message: Rendered,
    to: str,
    code: str | None,
    *,
    status: str = "OUTBOX",
) -> int:
    """Write the outbox row: destination and subject sealed (the destination's keyed digest beside it, for
    lookups), body and code sealed or left out (production mode, unless USERPOOLS_OUTBOX_CONTENT); messages
    older than the outbox's retention are purged meanwhile."""
    now = ctx.clock.now()
    settings = ctx.settings
    keep = settings.outbox_keeps_for
    if keep:
        tx.outbox.purge(now - timedelta(seconds=keep))
    kept = settings.keeps_outbox_content
    return tx.outbox.add(
        pool_id=user.pool_id,
        username=user.username,
        kind=kind,
        medium=message.medium,
        destination=sealing.seal(ctx.keyring, sealed_outbox.DESTINATION, to),
        destination_key=sealed_outbox.destination_key(ctx.keyring, to),
        subject=sealed_outbox.seal_optional(ctx.keyring, sealed_outbox.SUBJECT, message.subject),
        body=sealing.seal(ctx.keyring, sealed_outbox.BODY, message.body) if kept else "",
        code=sealing.seal(ctx.keyring, sealed_outbox.CODE, code) if kept and code else None,
        status=status,
        created=now,
    )
