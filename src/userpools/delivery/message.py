"""A message ready to send: already rendered from the pool's templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Medium = Literal["EMAIL", "SMS"]


@dataclass(frozen=True)
class Message:
    pool_id: str
    username: str
    medium: Medium
    destination: str  # an email address or an E.164 phone number
    subject: str | None
    body: str
    sender: str | None  # From address for email, SenderID for SMS; None means the default
