"""Why a trigger gave no usable answer. The operations layer maps these to Cognito's errors:
TriggerFunctionError → UserLambdaValidationException, TriggerUnreachable → UnexpectedLambdaException,
InvalidTriggerResponse → InvalidLambdaResponseException.

Messages never carry the event or the raw response: both may hold ClientMetadata or ValidationData.
"""

from __future__ import annotations


class TriggerError(Exception):
    """Base class for trigger failures."""


class TriggerFunctionError(TriggerError):
    """The function ran and failed (raised, or Lambda answered with X-Amz-Function-Error).

    ``str(error)`` is the function's ``errorMessage``, which Cognito shows to the caller.
    """

    def __init__(self, message: str, error_type: str | None = None) -> None:
        super().__init__(message)
        self.error_message = message
        self.error_type = error_type


class TriggerUnreachable(TriggerError):
    """The function could not be invoked: timeouts, connection errors, 5xx/429, or a refusal.

    ``retryable`` is False when another attempt cannot help (a 4xx from the Invoke API, no route).
    """

    def __init__(self, message: str, *, retryable: bool = True, attempts: int = 1) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.attempts = attempts


class InvalidTriggerResponse(TriggerError):
    """The function answered, but not with a JSON object."""
