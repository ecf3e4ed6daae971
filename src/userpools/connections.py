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
    """uvicorn's httptools protocol with a request deadline, size caps and a connection cap.

    The deadline costs a request two clock readings, not a timer: one timer per connection looks at when the
    request being received began and sleeps again until that request's deadline (or for a whole timeout while
    none is being received). Only an upload, whose deadline is longer, has it armed afresh once it is in.
    Starting and cancelling a timer for every request cost a tenth of AdminGetUser's throughput
    (bench/README.md)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = _limits()
        self._settings = settings
        self._request_timeout = settings.request_timeout
        self._max_header = settings.max_header_bytes
        self._max_body = settings.max_body_bytes
        self._timer: asyncio.TimerHandle | None = None
        self._since: float | None = None  # when the request being received began (else None)
        self._allowed = self._request_timeout  # how long that request may take to arrive
        self._url_bytes = 0
        self._in_head = False  # between a request's first byte and the end of its headers
        self._head_seen = 0  # bytes received while in the head (see data_received)
        self._head_bound = 0  # bytes the head that ends in the chunk being parsed can at most have
        self._body_bytes = 0
        self._refused: str | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > max_connections():
            _REFUSALS.note(len(self.connections))
            transport.abort()
            return
        self._since = self.loop.time()  # a connection that never sends a byte is closed too
        self._timer = self.loop.call_later(self._request_timeout, self._check)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _check(self) -> None:
        """Close the connection if the request being received is past its deadline (as for an idle keep-alive);
        else look again at that deadline, or in a whole timeout if no request is being received."""
        since, now = self._since, self.loop.time()
        if since is not None and now - since >= self._allowed:
            self._timer = None
            if not self.transport.is_closing():
                self.transport.close()
            return
        wait = self._request_timeout if since is None else since + self._allowed - now
        self._timer = self.loop.call_later(wait, self._check)

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
        """Headers are measured exactly once they are complete (on_headers_complete), and only if more bytes
        than the cap arrived while they did; until then, a head that keeps coming is refused as soon as more
        bytes than the cap arrived without completing it. (The chunk that starts a request counts whole, so a
        pipelined request's tail can count towards the next head.)"""
        if self._refused is not None:
            return
        self._head_bound = (self._head_seen if self._in_head else 0) + len(data)
        super().data_received(data)
        if self._in_head and self._refused is None:
            self._head_seen = self._head_bound
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
        self._allowed = self._request_timeout
        if self._since is None:  # from a request's first byte; the first request's, from the connection's opening
            self._since = self.loop.time()
        super().on_message_begin()

    def _headers_too_large(self) -> None:
        self._refuse(431, "Request Header Fields Too Large", "The request's headers are too large.")

    def on_url(self, url: bytes) -> None:
        self._url_bytes += len(url)
        if self._url_bytes > self._max_header:
            self._headers_too_large()
            raise httptools.HttpParserError("headers too large")
        upload = url.startswith(UPLOAD_PREFIX)
        self._max_body = self._settings.max_upload_bytes if upload else self._settings.max_body_bytes
        if upload:  # a CSV file of a user import: up to the URL's own lifetime to arrive
            self._since, self._allowed = self.loop.time(), UPLOAD_SECONDS
        super().on_url(url)

    def on_headers_complete(self) -> None:
        self._in_head = False
        if self._head_bound > self._max_header:  # the head may be past the cap: measure it
            size = self._url_bytes
            for name, value in self.headers:
                size += len(name) + len(value) + 4  # ": " and CRLF
            if size > self._max_header:
                self._headers_too_large()
                raise httptools.HttpParserError("headers too large")
        declared = dict(self.headers).get(b"content-length", b"")  # the last one, if it came twice
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
        self._since = None  # the whole request is here: however long the answer takes is no client's doing
        if self._allowed != self._request_timeout:  # an upload's: the timer may sleep until its long deadline
            self._disarm()
            self._timer = self.loop.call_later(self._request_timeout, self._check)
        super().on_message_complete()
