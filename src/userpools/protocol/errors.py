"""Errors of the wire protocol itself, before any service logic runs."""

from __future__ import annotations

from userpools.errors import NotImplementedException as NotImplementedException  # lives there for every layer
from userpools.errors import ServiceError


class SerializationException(ServiceError):
    """The body is not JSON, or a value has the wrong JSON type for its shape."""


class UnknownOperationException(ServiceError):
    """The X-Amz-Target header is missing or names no operation of the service."""


class ValidationError(ServiceError):
    """Input that breaks its shape's constraints; services choose the code (Cognito: InvalidParameterException)."""

    code = "ValidationException"


class MissingAuthenticationTokenException(ServiceError):
    status = 403


class InvalidSignatureException(ServiceError):
    status = 403


class UnrecognizedClientException(ServiceError):
    status = 403


class IncompleteSignatureException(ServiceError):
    """An Authorization header that is not a whole AWS4-HMAC-SHA256 signature."""
