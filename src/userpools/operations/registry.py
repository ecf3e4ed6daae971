"""Handlers register themselves by Cognito operation name.

Every handler is one transaction with no effect outside the database, so a handler that failed only
because a concurrent transaction got in its way (deadlock, serialization failure, SQLite busy) is run
again from the start, a few times, before the failure is reported.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Any

from userpools.operations.context import Context
from userpools.storage.conflicts import is_transient

Handler = Callable[[Context, dict[str, Any]], dict[str, Any] | None]

COGNITO: dict[str, Handler] = {}

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


def operation(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        COGNITO[name] = retrying(handler)
        return handler

    return register
