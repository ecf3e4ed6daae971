"""Why a message did not go out."""

from __future__ import annotations


class DeliveryError(Exception):
    """The message was not handed over. ``transient`` says whether a later try might succeed."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient
