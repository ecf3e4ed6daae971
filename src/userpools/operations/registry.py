"""Handlers register themselves by Cognito operation name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from userpools.operations.context import Context

Handler = Callable[[Context, dict[str, Any]], dict[str, Any] | None]

COGNITO: dict[str, Handler] = {}


def operation(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        COGNITO[name] = handler
        return handler

    return register
