"""The access log: one line per HTTP request on the logger ``userpools.access``, at INFO.

A line says the method, the path (never the query string: OAuth codes, states and presigned-upload
signatures travel there), the operation an ``X-Amz-Target`` header names, the pool (``UserPoolId``, noted by
the gateway once the body parsed), the status, the error code (``x-amzn-ErrorType``), the duration, the
client's address and the request id. Never a body, a header's value other than those, a code or a secret.

With the logger above INFO (``--log-level warning``, as test suites run it) when the application is made,
app.create_app leaves the middleware out (a level lowered later does not bring it back); if the level rises
later, the middleware steps aside at once.
"""

from __future__ import annotations

import contextvars
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from userpools.logs import FIELDS

log = logging.getLogger("userpools.access")

_TARGET = b"x-amz-target"
_NOTES: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("userpools_access", default=None)


def note(**fields: str) -> None:
    """Add facts known only inside the application (the pool) to the current request's line."""
    notes = _NOTES.get()
    if notes is not None:
        notes.update(fields)


def line(fields: dict[str, Any]) -> str:
    """The text form: ``POST / AdminGetUser 400 UserNotFoundException 2.1ms 127.0.0.1 pool=... id=...``."""
    words = [fields["method"], fields["path"]]
    if fields.get("operation"):
        words.append(fields["operation"])
    words.append(str(fields["status"]))
    if fields.get("error"):
        words.append(fields["error"])
    words.append(f"{fields['duration_ms']}ms")
    words.append(fields.get("client") or "-")
    if fields.get("pool"):
        words.append(f"pool={fields['pool']}")
    if fields.get("request_id"):
        words.append(f"id={fields['request_id']}")
    return " ".join(words)


class AccessLog:
    """ASGI middleware around the whole application (app.create_app)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:  # app.state, app.routes, ... as on the wrapped app
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        answer: dict[str, Any] = {"status": 0}
        notes: dict[str, str] = {}
        token = _NOTES.set(notes)

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                for name, value in message.get("headers", ()):
                    if name.lower() == b"x-amzn-errortype" and value:
                        answer["error"] = value.decode("latin-1").partition(":")[0]
                    elif name.lower() == b"x-amzn-requestid":
                        answer["request_id"] = value.decode("latin-1")
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            _NOTES.reset(token)
            self._write(scope, answer, notes, time.perf_counter() - started)

    @staticmethod
    def _write(scope: Scope, answer: dict[str, Any], notes: dict[str, str], seconds: float) -> None:
        operation = ""
        for name, value in scope.get("headers", ()):
            if name == _TARGET:
                operation = value.decode("latin-1").rpartition(".")[2][:128]
                break
        client = scope.get("client")
        fields: dict[str, Any] = {
            "method": scope.get("method", ""),
            "path": scope.get("path", "")[:1024],
            "operation": operation or None,
            "status": answer["status"],  # 0: the client went away, or the app failed, before an answer
            "error": answer.get("error"),
            "duration_ms": round(seconds * 1000, 1),
            "client": client[0] if client else None,
            "pool": notes.get("pool"),
            "request_id": answer.get("request_id"),
        }
        log.info(line(fields), extra={FIELDS: {k: v for k, v in fields.items() if v is not None}})
