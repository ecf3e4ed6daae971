"""CSRF protection for every form: a random token in a cookie (SameSite=Lax, HttpOnly) that the form
must echo in ``_csrf`` (double submit). A cross-site page can neither read the cookie nor set it."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

COOKIE = "userpools_csrf"
FIELD = "_csrf"


def token(request: Request) -> str:
    """The browser's token, or a new one (set by :func:`remember` on the page's response)."""
    return request.cookies.get(COOKIE) or secrets.token_urlsafe(32)


def remember(response: Response, value: str, path: str, secure: bool) -> None:
    response.set_cookie(COOKIE, value, path=path or "/", httponly=True, secure=secure, samesite="lax")


def valid(request: Request, form: Any) -> bool:
    cookie = request.cookies.get(COOKIE, "")
    given = form.get(FIELD)
    return bool(cookie) and isinstance(given, str) and hmac.compare_digest(cookie.encode(), given.encode())
