"""Handlers register themselves by Cognito operation name.

A handler that failed only because a concurrent transaction got in its way (deadlock, serialization
failure, SQLite busy, a dropped connection) is run again from the start, a few times, before the failure
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
# Operations that only read, through index lookups bounded by a small page: on SQLite, whose reads never
# wait for a lock in WAL mode, the gateway runs them on the event loop without a thread hand-off.
QUICK_READS: set[str] = set()
# Writes that, on SQLite, may run on the event loop too: its writes are short, one at a time, and never wait
# on the network. They write through Context.writing, in a savepoint of the gateway's storage.engine.Batch, one
# commit for all those ready together (one that finds another process writing waits for the next batch).
# A request that needs a trigger or sends a message calls Context.reaching_out before it does, which raises
# NeedsThread there, and the gateway runs it again on a thread. (What a hand-off costs a create: bench/README.md.)
QUICK_WRITES: set[str] = set()


TRANSIENT_ATTEMPTS = 5


def retrying(handler: Handler) -> Handler:
    @functools.wraps(handler)
    def run(ctx: Context, params: dict[str, Any]) -> dict[str, Any] | None:
        for attempt in range(1, TRANSIENT_ATTEMPTS + 1):
            try:
                return handler(ctx, params)
            except Exception as error:
                if attempt == TRANSIENT_ATTEMPTS or not is_transient(error):
                    raise
                time.sleep(random.uniform(0, 0.005 * attempt))
        raise AssertionError("unreachable")

    return run


# Checks run before every handler, given the operation's name (operations/replicas.py: the region's rules).
BEFORE: list[Callable[[str, Context, dict[str, Any]], None]] = []


def _checked(name: str, handler: Handler) -> Handler:
    @functools.wraps(handler)
    def run(ctx: Context, params: dict[str, Any]) -> dict[str, Any] | None:
        for check in BEFORE:
            check(name, ctx, params)
        return handler(ctx, params)

    return run


def operation(name: str, *, quick_read: bool = False, quick_write: bool = False) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        COGNITO[name] = retrying(_checked(name, handler))
        if quick_read:
            QUICK_READS.add(name)
        if quick_write:
            QUICK_WRITES.add(name)
        return handler

    return register
