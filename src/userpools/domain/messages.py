"""Message templates: Cognito's defaults and placeholder filling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CODE = "{####}"
USERNAME = "{username}"
INVITE_SUBJECT = "Your temporary password"
INVITE_EMAIL = "Your username is {username} and temporary password is {####}."
INVITE_SMS = "Your username is {username} and temporary password is {####}"


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
