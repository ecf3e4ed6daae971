"""Handlers register themselves by Cognito operation name.

A handler that failed only because a concurrent transaction got in its way (deadlock, serialization
failure, a busy database, a dropped connection) is run again from the start, a few times, before the failure
is reported. Handlers that reach outside the database (triggers, delivery) do so before their final
write, so such a re-run can invoke a trigger or send a message twice: at-least-once, as Cognito's own
trigger retries are.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Any

from userpools.steps.context import Context
from userpools.storage.conflicts import is_transient

Handler = Callable[[Context, dict[str, Any]], dict[str, Any] | None]

COGNITO: dict[str, Handler] = {}
# quick_read: the operation only reads, through index lookups bounded by a small page, and never waits on the
# network. quick_write: the same of a write, short, writing through Context.writing and calling
# Context.reaching_out before anything that reaches outside the server (a trigger, a message to send).
# The gateway (app.Gateway) decides how it runs them.
QUICK_READS: set[str] = set()
QUICK_WRITES: set[str] = set()


TRANSIENT_ATTEMPTS = 5


# Checks run before every handler, given the operation's name (operations/replicas.py: the region's rules).
BEFORE: list[Callable[[str, Context, dict[str, Any]], None]] = []


def _registered(name: str, handler: Handler) -> Handler:
    """The handler as the service calls it: the BEFORE checks first, and both run again on a transient
    database error."""

    @functools.wraps(handler)
    def run(ctx: Context, params: dict[str, Any]) -> dict[str, Any] | None:
        for attempt in range(1, TRANSIENT_ATTEMPTS + 1):
            try:
                for check in BEFORE:
                    check(name, ctx, params)
                return handler(ctx, params)
            except Exception as error:
                if attempt == TRANSIENT_ATTEMPTS or not is_transient(error):
                    raise
                time.sleep(random.uniform(0, 0.005 * attempt))
        raise AssertionError("unreachable")

    return run


def operation(name: str, *, quick_read: bool = False, quick_write: bool = False) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        COGNITO[name] = _registered(name, handler)
        if quick_read:
            QUICK_READS.add(name)
        if quick_write:
            QUICK_WRITES.add(name)
        return handler

    return register
