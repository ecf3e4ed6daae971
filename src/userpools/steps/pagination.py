"""Pagination, one way for every List operation: :func:`request` reads the token, the repository is asked
for ``fetch`` rows after its cursor (one more than the page, to know whether another follows), and
:func:`split` cuts the page and makes the next token from its last item.

Tokens are opaque: the cursor of the last item returned, as JSON, authenticated with an HMAC.

A token is ``base64url(cursor JSON) "." base64url(HMAC-SHA256 tag)`` under a key kept in the database
(``server_secrets``, so every worker and every restart accepts it). A token the server did not make, or
one changed by a byte, is refused as Cognito refuses a bad token, before its cursor reaches a query.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from userpools.domain.errors import InvalidParameterException
from userpools.steps.context import Context
from userpools.storage.engine import Store

T = TypeVar("T")
KEY_NAME = "pagination-token-key"
_KEYS: dict[int, tuple[Store, bytes]] = {}  # per Store (one per process when serving)
_LOCK = threading.Lock()


def load_key(ctx: Context) -> bytes:
    """The store's token key, read (or made, by the first process to need it) once per process; app.py
    calls this at start-up, so no request waits for it."""
    found = _KEYS.get(id(ctx.store))
    if found is not None and found[0] is ctx.store:
        return found[1]
    with _LOCK, ctx.store.transaction() as tx:
        value = tx.keys.server_secret(KEY_NAME, lambda: secrets.token_urlsafe(32), ctx.clock.now())
    key = value.encode()
    _KEYS[id(ctx.store)] = (ctx.store, key)
    return key


def _tag(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(ctx: Context, cursor: Any) -> str:
    payload = json.dumps(cursor, separators=(",", ":")).encode()
    return f"{_b64(payload)}.{_b64(_tag(load_key(ctx), payload))}"


def decode(ctx: Context, token: str | None) -> Any:
    if not token:
        return None
    try:
        body, _, tag = token.partition(".")
        payload = _unb64(body)
        if hmac.compare_digest(_unb64(tag), _tag(load_key(ctx), payload)):
            return json.loads(payload)
    except ValueError:  # not base64 (binascii.Error), not ASCII (UnicodeEncodeError), ...
        pass
    raise InvalidParameterException("Invalid pagination token.")


@dataclass(frozen=True)
class Request:
    """What one page asks of a repository: the rows after ``after`` (None: from the start), ``fetch`` of them."""

    after: Any
    limit: int

    @property
    def fetch(self) -> int:
        return self.limit + 1


def request(ctx: Context, token: str | None, limit: int) -> Request:
    """The page a List operation's token and limit ask for; a token the server did not make is refused."""
    return Request(decode(ctx, token), limit)


def moment_cursor(after: Any) -> tuple[datetime, str] | None:
    """A cursor of ``[moment, id]`` (rows ordered by when they happened), read back; see :func:`moment_of`."""
    if after is None:
        return None
    try:
        return datetime.fromisoformat(after[0]), str(after[1])
    except (TypeError, ValueError, IndexError, KeyError):
        raise InvalidParameterException("Invalid pagination token.") from None


def moment_of(moment: datetime, row_id: str) -> list[str]:
    """The cursor of a row ordered by ``moment`` then ``row_id``."""
    return [moment.isoformat(), row_id]


def split(ctx: Context, page: Request, rows: Sequence[T], cursor_of: Callable[[T], Any]) -> tuple[list[T], str | None]:
    """The page's rows, and the token of the next page (None: this is the last)."""
    if len(rows) > page.limit:
        return list(rows[: page.limit]), encode(ctx, cursor_of(rows[page.limit - 1]))
    return list(rows), None
