"""Errors that must still leave a trace (a wrong password or code is counted although the request fails).

The request's transaction rolls back; the error carries a follow-up that runs in a transaction of its own
once the first one has ended (where writes are serial, not while it is open).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from userpools.errors import ServiceError
from userpools.steps.context import Context
from userpools.storage.unit import Tx

T = TypeVar("T")
FollowUp = Callable[[Tx], None]


def attach(error: ServiceError, follow_up: FollowUp) -> ServiceError:
    error.follow_up = follow_up  # type: ignore[attr-defined]
    return error


def transact(ctx: Context, step: Callable[[Tx], T]) -> T:
    """Run ``step`` in one transaction; if it fails with a follow-up, run that in a second one."""
    try:
        with ctx.store.transaction() as tx:
            return step(tx)
    except ServiceError as error:
        follow_up: FollowUp | None = getattr(error, "follow_up", None)
        if follow_up is not None:
            with ctx.store.transaction() as tx:
                follow_up(tx)
        raise
