"""Messages to users: rendered, written to the outbox in the caller's transaction."""

from __future__ import annotations

from userpools.domain.errors import InvalidParameterException
from userpools.domain.messages import Rendered
from userpools.domain.users import User
from userpools.operations.context import Context
from userpools.storage.unit import Tx

_ATTRIBUTE = {"EMAIL": "email", "SMS": "phone_number"}


def destination(user: User, medium: str, *, required: bool) -> str | None:
    value = user.attributes.get(_ATTRIBUTE[medium])
    if not value and required:
        if medium == "EMAIL":
            raise InvalidParameterException("No email provided but desired delivery medium was Email")
        raise InvalidParameterException("No phone_number provided but desired delivery medium was SMS")
    return value


def record(ctx: Context, tx: Tx, user: User, kind: str, message: Rendered, to: str, code: str | None) -> int:
    return tx.outbox.add(
        pool_id=user.pool_id,
        username=user.username,
        kind=kind,
        medium=message.medium,
        destination=to,
        subject=message.subject,
        body=message.body,
        code=code,
        status="OUTBOX",
        created=ctx.clock.now(),
    )
