"""Choosing a sender per medium from the environment; the outbox is written by the caller regardless."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, Protocol

from userpools.delivery.message import Medium, Message
from userpools.delivery.smtp import SmtpSender
from userpools.delivery.sns import SnsSender
from userpools.outbound import credentials_from_env, region_from_env

DeliveryStatus = Literal["SENT", "OUTBOX_ONLY"]


class Sender(Protocol):
    def send(self, message: Message) -> None: ...


class Senders:
    def __init__(self, email: Sender | None = None, sms: Sender | None = None) -> None:
        self._by_medium: dict[Medium, Sender | None] = {"EMAIL": email, "SMS": sms}

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Senders:
        """``USERPOOLS_SMTP_URL`` + ``USERPOOLS_EMAIL_FROM`` for email, ``USERPOOLS_SNS_ENDPOINT`` for SMS."""
        email = None
        if env.get("USERPOOLS_SMTP_URL"):
            email = SmtpSender.from_url(env["USERPOOLS_SMTP_URL"], default_from=env.get("USERPOOLS_EMAIL_FROM") or None)
        sms = None
        if env.get("USERPOOLS_SNS_ENDPOINT"):
            sms = SnsSender(env["USERPOOLS_SNS_ENDPOINT"], region_from_env(env), credentials_from_env(env))
        return cls(email=email, sms=sms)

    def configured(self, medium: Medium) -> bool:
        return self._by_medium.get(medium) is not None

    def send(self, message: Message) -> DeliveryStatus:
        """Send through the medium's sender: "SENT", "OUTBOX_ONLY" if none, or ``DeliveryError``."""
        sender = self._by_medium.get(message.medium)
        if sender is None:
            return "OUTBOX_ONLY"
        sender.send(message)
        return "SENT"
