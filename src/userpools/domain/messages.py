"""Message templates: Cognito's defaults and placeholder filling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from userpools.domain.pools import Pool

CODE = "{####}"
USERNAME = "{username}"
INVITE_SUBJECT = "Your temporary password"
INVITE_EMAIL = "Your username is {username} and temporary password is {####}."
INVITE_SMS = "Your username is {username} and temporary password is {####}"
VERIFY_SUBJECT = "Your verification code"
VERIFY_MESSAGE = "Your verification code is {####}. "


@dataclass(frozen=True)
class Rendered:
    medium: str  # EMAIL | SMS
    subject: str | None
    body: str


def fill(template: str, *, code: str, username: str) -> str:
    return template.replace(CODE, code).replace(USERNAME, username)


def invitation(
    template: dict[str, Any],
    medium: str,
    *,
    username: str,
    code: str,
    body: str | None = None,
    subject: str | None = None,
) -> Rendered | None:
    """The invitation for one medium, or None when the template has no ``{####}`` to carry the password.

    ``body`` and ``subject`` (a CustomMessage trigger's answer) replace the pool's template.
    """
    if medium == "EMAIL":
        body = body or template.get("EmailMessage") or INVITE_EMAIL
        subject = subject or template.get("EmailSubject") or INVITE_SUBJECT
    else:
        body, subject = body or template.get("SMSMessage") or INVITE_SMS, None
    if CODE not in body:
        return None
    return Rendered(medium, subject, fill(body, code=code, username=username))


def verification_template(pool: Pool, medium: str) -> tuple[str, str]:
    """(message, subject) of the pool's verification message for one medium."""
    template = pool.config.get("VerificationMessageTemplate") or {}
    if medium == "EMAIL":
        message = template.get("EmailMessage") or pool.config.get("EmailVerificationMessage") or VERIFY_MESSAGE
        subject = template.get("EmailSubject") or pool.config.get("EmailVerificationSubject") or VERIFY_SUBJECT
        return message, subject
    return template.get("SmsMessage") or pool.config.get("SmsVerificationMessage") or VERIFY_MESSAGE, ""
