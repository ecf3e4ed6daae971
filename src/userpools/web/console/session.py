"""The console's session cookie and CSRF tokens, both keyed by the master key (no table: a session is its
cookie). A cookie reads ``who.expires.nonce.mac``: ``who`` is ``open`` (local development mode), ``anon``
(not signed in yet: it only carries a CSRF token for the sign-in form), an access key id, or ``password``
(USERPOOLS_CONSOLE_PASSWORD); ``mac`` is an HMAC-SHA256 of the rest under a key derived from the master key,
so a session cannot be forged or extended, and ends when the master key changes. The CSRF token of every
form is an HMAC of the session's nonce: a page of another origin can neither read nor compute it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from userpools.settings import Settings
from userpools.steps.context import Context

COOKIE = "userpools_console"
CSRF_FIELD = "_csrf"
PATH = "/_userpools/console"
LIFETIME = 8 * 3600  # seconds a sign-in lasts
OPEN, ANONYMOUS, PASSWORD = "open", "anon", "password"
_WHO = re.compile(r"^[A-Za-z0-9]{1,128}$")
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def locked(settings: Settings) -> bool:
    """Whether the console needs a sign-in: production mode, USERPOOLS_CREDENTIALS or a console password."""
    return settings.locked or bool(settings.console_password)


def can_sign_in(settings: Settings) -> bool:
    return bool(settings.credentials or settings.console_password)


def _key(context: Context) -> bytes:
    return context.keyring.current.derived("userpools console session")


def _mac(context: Context, text: str) -> str:
    digest = hmac.new(_key(context), text.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(frozen=True)
class Session:
    who: str
    expires: int
    nonce: str

    def signed_in(self, settings: Settings) -> bool:
        """Whether this session may use the console now (the settings may have changed since it began)."""
        if not locked(settings):
            return self.who != ANONYMOUS
        if self.who == PASSWORD:
            return bool(settings.console_password)
        return self.who not in (OPEN, ANONYMOUS) and self.who in settings.credentials

    def text(self, context: Context) -> str:
        body = f"{self.who}.{self.expires}.{self.nonce}"
        return f"{body}.{_mac(context, body)}"

    def csrf(self, context: Context) -> str:
        return _mac(context, f"csrf\0{self.nonce}")


def new(context: Context, who: str) -> Session:
    return Session(who, int(context.clock.now().timestamp()) + LIFETIME, secrets.token_urlsafe(18))


def read(context: Context, request: Request) -> Session | None:
    """The request's session, if its cookie is one this server made and it has not expired."""
    parts = request.cookies.get(COOKIE, "").split(".")
    if len(parts) != 4 or not _WHO.match(parts[0]) or not parts[1].isdigit():
        return None
    who, expires, nonce, mac = parts
    if not hmac.compare_digest(mac.encode(), _mac(context, f"{who}.{expires}.{nonce}").encode()):
        return None
    if int(expires) <= context.clock.now().timestamp():
        return None
    return Session(who, int(expires), nonce)


def csrf_valid(context: Context, session: Session, given: object) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given.encode(), session.csrf(context).encode())


def secure(context: Context, request: Request) -> bool:
    """Secure cookies wherever a browser keeps them: over HTTPS, behind an HTTPS public URL, and on loopback
    (browsers treat http://localhost as secure). Plain HTTP to another host would lose a Secure cookie."""
    if request.url.scheme == "https" or context.settings.base_url.startswith("https:"):
        return True
    return (request.url.hostname or "") in _LOOPBACK


def remember(context: Context, request: Request, response: Response, session: Session) -> None:
    response.set_cookie(
        COOKIE,
        session.text(context),
        max_age=LIFETIME,
        path=PATH,
        httponly=True,
        secure=secure(context, request),
        samesite="strict",
    )


def forget(context: Context, request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE, path=PATH, httponly=True, secure=secure(context, request), samesite="strict")


def sign_in(settings: Settings, access_key: str, secret: str, password: str) -> str | None:
    """Who the given key and secret, or console password, sign in as; None when neither matches."""
    if access_key:
        expected = settings.credentials.get(access_key)
        if expected is not None and _WHO.match(access_key) and hmac.compare_digest(secret.encode(), expected.encode()):
            return access_key
        return None
    wanted = settings.console_password
    if wanted and password and hmac.compare_digest(password.encode(), wanted.encode()):
        return PASSWORD
    return None
