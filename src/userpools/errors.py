"""The one exception every layer raises to answer a request with an AWS-style error.

Each error code is a subclass named after it (``class UsernameExistsException(ServiceError)``);
the protocol layer renders any ``ServiceError`` as ``{"__type": code, "message": message}``.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ServiceError(Exception):
    """An error answered to the client. ``code`` defaults to the class name."""

    code: ClassVar[str] = "ServiceError"
    status: ClassVar[int] = 400

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:
            cls.code = cls.__name__

    def __init__(self, message: str = "", **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"__type": self.code, "message": self.message, **self.extra}


class NotImplementedException(ServiceError):
    """Something Cognito does that this server does not do yet: an operation, or a flow, challenge or value of
    one. Every such gap answers this one way (HTTP 501, this code, :func:`not_built`'s message), while what
    Cognito itself refuses keeps Cognito's own code and message. Raised by any layer (hence here)."""

    status = 501


def not_built(what: str) -> NotImplementedException:
    """``raise not_built("The operation X")``: 501 "The operation X is not implemented by userpools yet."."""
    return NotImplementedException(f"{what} is not implemented by userpools yet.")
