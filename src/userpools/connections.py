"""HTTP connections that cannot be held open or flooded: the limits uvicorn's own protocol lacks.

uvicorn closes an idle keep-alive connection only after a response, and never a connection that has sent
nothing or sends its request a byte at a time (slowloris); it reads headers and bodies of any size. This
protocol (uvicorn's httptools one, ``userpools serve`` selects it) adds, per connection: a deadline for
each whole request to arrive, from its first byte or from the connection's opening; a cap on the size of
the request line and headers, and on the body; and, per process, a cap on open connections, refused with
a log line saying so. The limits come from Settings (``USERPOOLS_*``), read once per worker process.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from functools import cache
from typing import Any

import httptools
import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from userpools.settings import Settings

log = logging.getLogger("userpools.connections")

UPLOAD_PREFIX = b"/_userpools/uploads/"  # web/uploads.py
UPLOAD_SECONDS = 900.0
_RESERVED_DESCRIPTORS = 64  # for the database's connections, log files, SQLite's WAL, ...


@cache
def _limits() -> Settings:
    return Settings.from_env()


@cache
def max_connections() -> int:
    """The configured cap, lowered to what the process's descriptor limit leaves room for."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = _limits().max_connections
    if soft != resource.RLIM_INFINITY and wanted > soft - _RESERVED_DESCRIPTORS:
        lowered = max(1, soft - _RESERVED_DESCRIPTORS)
        log.warning("USERPOOLS_MAX_CONNECTIONS=%d lowered to %d: the descriptor limit is %d.", wanted, lowered, soft)
        return lowered
    return wanted


class _Refusals:
    """Log a refused connection at most once every 10 s, with how many were refused meanwhile."""

    def __init__(self) -> None:
        self.count = 0
        self.logged = 0.0

    def note(self, open_connections: int) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self.logged >= 10:
            log.warning(
                "Refusing connections: %d open, the cap per process (USERPOOLS_MAX_CONNECTIONS); %d refused.",
                open_connections,
                self.count,
            )
            self.logged, self.count = now, 0


_REFUSALS = _Refusals()


def _error_response(status: int, reason: str, message: str) -> bytes:
    body = orjson.dumps({"__type": "SerializationException", "message": message})
    return (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/x-amz-json-1.1\r\n"
        f"x-amzn-errortype: SerializationException\r\ncontent-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode() + body


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a request deadline, size caps and a connection cap."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = _limits()
        self._request_timeout = settings.request_timeout
        self._max_header = settings.max_header_bytes
        self._max_body = settings.max_body_bytes
        self._deadline: asyncio.TimerHandle | None = None
        self._url_bytes = 0
        self._in_head = False  # between a request's first byte and the end of its headers
        self._head_seen = 0  # bytes received while in the head (see data_received)
        self._body_bytes = 0
        self._refused: str | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > max_connections():
            _REFUSALS.note(len(self.connections))
            transport.abort()
            return
        self._arm()  # a connection that never sends a byte is closed too

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self._request_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        """The request did not arrive in time (or nothing came): close, as for an idle keep-alive."""
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def _refuse(self, status: int, reason: str, message: str) -> None:
        self._refused = message
        self._disarm()
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.disconnected = True  # the application, if it started, answers no one
            self.cycle.message_event.set()
        if not self.transport.is_closing():
            self.transport.write(_error_response(status, reason, message))
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        """Headers are measured exactly once they are complete (on_headers_complete); until then, a head that
        keeps coming is refused as soon as more bytes than the cap arrived without completing it. (The chunk
        that starts a request counts whole, so a pipelined request's tail can count towards the next head.)"""
        if self._refused is not None:
            return
        in_head = self._in_head
        super().data_received(data)
        if self._in_head and self._refused is None:
            self._head_seen = (self._head_seen if in_head else 0) + len(data)
            if self._head_seen > self._max_header:
                self._headers_too_large()

    def send_400_response(self, msg: str) -> None:
        if self._refused is None:  # else a callback below stopped the parser, and has answered
            super().send_400_response(msg)

    # Parser callbacks: sizes counted as they arrive (headers at their end, see data_received).
    def on_message_begin(self) -> None:
        self._url_bytes = 0
        self._in_head = True
        self._body_bytes = 0
        self._arm()  # from a request's first byte (a keep-alive's timer is cancelled by then)
        super().on_message_begin()

    def _headers_too_large(self) -> None:
        self._refuse(431, "Request Header Fields Too Large", "The request's headers are too large.")

    def on_url(self, url: bytes) -> None:
        self._url_bytes += len(url)
        if self._url_bytes > self._max_header:
            self._headers_too_large()
            raise httptools.HttpParserError("headers too large")
        settings = _limits()
        upload = url.startswith(UPLOAD_PREFIX)
        self._max_body = settings.max_upload_bytes if upload else settings.max_body_bytes
        if upload:  # a CSV file of a user import: up to the URL's own lifetime to arrive
            self._disarm()
            self._deadline = self.loop.call_later(UPLOAD_SECONDS, self._too_slow)
        super().on_url(url)

    def on_headers_complete(self) -> None:
        self._in_head = False
        size = self._url_bytes
        declared = b""
        for name, value in self.headers:
            size += len(name) + len(value) + 4  # ": " and CRLF
            if name == b"content-length":
                declared = value
        if size > self._max_header:
            self._headers_too_large()
            raise httptools.HttpParserError("headers too large")
        if declared.strip().isdigit() and int(declared) > self._max_body:
            self._refuse(413, "Request Entity Too Large", self._body_message())
            raise httptools.HttpParserError("body too large")
        super().on_headers_complete()

    def _body_message(self) -> str:
        return f"The request body is larger than {self._max_body} bytes."

    def on_body(self, body: bytes) -> None:
        self._body_bytes += len(body)
        if self._body_bytes > self._max_body:
            self._refuse(413, "Request Entity Too Large", self._body_message())
            raise httptools.HttpParserError("body too large")
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._disarm()  # the whole request is here: however long the answer takes is no client's doing
        super().on_message_complete()
