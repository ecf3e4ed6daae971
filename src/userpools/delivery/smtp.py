"""Email over SMTP (stdlib ``smtplib``), configured by one URL.

``smtp://[user:pass@]host[:25]``             plain (AUTH allowed only if the server offers it)
``smtp+starttls://[user:pass@]host[:587]``   STARTTLS before AUTH and DATA
``smtps://[user:pass@]host[:465]``           TLS from the first byte

Query parameters: ``timeout=<seconds>`` (default 10), ``tls_verify=false`` to accept any
certificate (for local catchers with self-signed certificates).
"""

from __future__ import annotations

import html
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from userpools import slots
from userpools.delivery.errors import DeliveryError
from userpools.delivery.message import Message
from userpools.retry import RetryPolicy, retrying

# What Cognito sends from when a pool has no SES configuration.
DEFAULT_FROM = "no-reply@verificationemail.com"

Security = Literal["none", "starttls", "tls"]
_SCHEMES: dict[str, tuple[Security, int]] = {
    "smtp": ("none", 25),
    "smtp+starttls": ("starttls", 587),
    "smtps": ("tls", 465),
}
_TAG = re.compile(r"<[A-Za-z/][^>]*>")
_BREAK = re.compile(r"<br\s*/?>|</p>", re.IGNORECASE)


class SmtpSender:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        security: Security = "none",
        username: str | None = None,
        password: str | None = None,
        default_from: str | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.default_from = default_from or DEFAULT_FROM
        self.timeout = timeout
        self.retry = retry or RetryPolicy(attempts=3, backoff=0.5)
        self.ssl_context = ssl_context or ssl.create_default_context()

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        default_from: str | None = None,
        retry: RetryPolicy | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> SmtpSender:
        parts = urlsplit(url)
        if parts.scheme not in _SCHEMES or not parts.hostname:
            raise ValueError(f"not an SMTP URL (smtp://, smtp+starttls://, smtps://): {parts.scheme}://...")
        security, default_port = _SCHEMES[parts.scheme]
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if ssl_context is None and query.get("tls_verify", "true").lower() in ("false", "0", "no"):
            ssl_context = ssl.create_default_context()
            ssl_context.check_hostname = False
            ssl_context.verify_mode = ssl.CERT_NONE
        return cls(
            parts.hostname,
            parts.port or default_port,
            security=security,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            default_from=default_from,
            timeout=float(query.get("timeout", 10.0)),
            retry=retry,
            ssl_context=ssl_context,
        )

    def send(self, message: Message) -> None:
        """Hand the message to the server, retrying transient failures; else ``DeliveryError``."""
        if message.medium != "EMAIL":
            raise ValueError(f"SmtpSender sends EMAIL, not {message.medium}")
        email = compose(message, self.default_from)
        retrying(lambda: self._send_once(email), self.retry, _is_transient)

    def _send_once(self, email: EmailMessage) -> None:
        try:
            with slots.outside(), self._connect() as smtp:
                if self.security == "starttls":
                    smtp.starttls(context=self.ssl_context)
                if self.username is not None:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(email)
        except Exception as exc:
            raise _classify(exc) from exc

    def _connect(self) -> smtplib.SMTP:
        if self.security == "tls":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self.ssl_context)
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)


def compose(message: Message, default_from: str) -> EmailMessage:
    """Build the RFC 5322 message; an HTML body also gets a plain-text alternative."""
    sender = message.sender or default_from
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.destination
    if message.subject is not None:
        email["Subject"] = message.subject
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    if _TAG.search(message.body):
        email.set_content(_plain_text(message.body))
        email.add_alternative(message.body, subtype="html")
    else:
        email.set_content(message.body)
    return email


def _plain_text(body: str) -> str:
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", body)))


def _is_transient(exc: Exception) -> bool:
    return isinstance(exc, DeliveryError) and exc.transient


def _classify(exc: Exception) -> DeliveryError:
    """4xx replies, dropped connections and timeouts are worth another try; 5xx and TLS are not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        transient = bool(codes) and all(400 <= code < 500 for code in codes)
        return DeliveryError(f"recipient refused: {codes}", transient=transient)
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error
        if isinstance(reply, bytes):
            reply = reply.decode(errors="replace")
        return DeliveryError(f"SMTP {exc.smtp_code} {reply}", transient=not 500 <= exc.smtp_code < 600)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return DeliveryError(f"SMTP server disconnected: {exc}", transient=True)
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return DeliveryError(f"TLS failure: {exc}", transient=False)
    if isinstance(exc, smtplib.SMTPException):  # e.g. STARTTLS or AUTH not offered; an OSError too
        return DeliveryError(f"SMTP failure: {exc.__class__.__name__}: {exc}", transient=False)
    if isinstance(exc, OSError):
        return DeliveryError(f"SMTP connection failed: {exc.__class__.__name__}: {exc}", transient=True)
    return DeliveryError(f"SMTP failure: {exc.__class__.__name__}: {exc}", transient=False)
