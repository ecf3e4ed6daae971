"""What every resource type implements, and how it calls the cognito-idp operations.

Resource handlers never re-implement Cognito rules: they call the registered cognito-idp handlers,
after validating the parameters against the cognito-idp input shape exactly as the wire API does.
Cognito's errors become handler errors with a Cloud Control HandlerErrorCode.
"""

from __future__ import annotations

from typing import Any, ClassVar

from userpools.cloudcontrol.schema import ResourceSchema
from userpools.domain.errors import InvalidParameterException
from userpools.errors import ServiceError
from userpools.operations import COGNITO
from userpools.protocol.model import service_model
from userpools.protocol.validate import summary, validate
from userpools.steps.context import Context

# Cognito error code -> Cloud Control HandlerErrorCode; anything else is GeneralServiceException.
HANDLER_ERROR_CODES = {
    "UsernameExistsException": "AlreadyExists",
    "GroupExistsException": "AlreadyExists",
    "DuplicateProviderException": "AlreadyExists",
    "AliasExistsException": "AlreadyExists",
    "ResourceNotFoundException": "NotFound",
    "UserNotFoundException": "NotFound",
    "InvalidParameterException": "InvalidRequest",
    "InvalidPasswordException": "InvalidRequest",
    "SerializationException": "InvalidRequest",
    "UnsupportedUserStateException": "InvalidRequest",
    "InvalidUserPoolConfigurationException": "InvalidRequest",
    "CodeDeliveryFailureException": "InvalidRequest",
    "UserLambdaValidationException": "InvalidRequest",
    "PreconditionNotMetException": "InvalidRequest",
    "InvalidOAuthFlowException": "InvalidRequest",
    "ScopeDoesNotExistException": "InvalidRequest",
    "NotAuthorizedException": "AccessDenied",
    "LimitExceededException": "ServiceLimitExceeded",
    "TooManyRequestsException": "Throttling",
    "ConcurrentModificationException": "ResourceConflict",
    "InternalErrorException": "ServiceInternalError",
}


class HandlerError(Exception):
    """A handler's FAILED outcome: a HandlerErrorCode and a status message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @classmethod
    def of(cls, error: ServiceError) -> HandlerError:
        return cls(HANDLER_ERROR_CODES.get(error.code, "GeneralServiceException"), error.message or error.code)


def call(ctx: Context, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run one cognito-idp operation in-process, with the wire API's validation."""
    params = {k: v for k, v in params.items() if v is not None}
    shape = service_model("cognito-idp").operation_model(operation).input_shape
    try:
        errors = validate(shape, params)
        if errors:
            raise InvalidParameterException(summary(errors))
        return COGNITO[operation](ctx, params) or {}
    except ServiceError as error:
        raise HandlerError.of(error) from None


def members(operation: str) -> set[str]:
    """The input members of a cognito-idp operation (to pass through same-named properties)."""
    return set(service_model("cognito-idp").operation_model(operation).input_shape.members)


def pick(model: dict[str, Any], operation: str, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    names = members(operation)
    return {k: v for k, v in model.items() if k in names and k not in skip and v is not None}


class ResourceType:
    """One CloudFormation resource type backed by cognito-idp operations."""

    schema: ClassVar[ResourceSchema]
    operations: ClassVar[tuple[str, ...]] = ()  # the Cognito operations the type needs

    @property
    def type_name(self) -> str:
        return self.schema.type_name

    def available(self) -> bool:
        return all(name in COGNITO for name in self.operations)

    def create(self, ctx: Context, model: dict[str, Any]) -> dict[str, str]:
        """Create the resource; return its primary identifier properties."""
        raise NotImplementedError

    def read(self, ctx: Context, ids: dict[str, str]) -> dict[str, Any]:
        raise NotImplementedError

    def update(self, ctx: Context, ids: dict[str, str], desired: dict[str, Any]) -> None:
        raise HandlerError("NotUpdatable", f"Resource type {self.type_name} does not support update.")

    def delete(self, ctx: Context, ids: dict[str, str]) -> None:
        raise NotImplementedError

    def list(
        self, ctx: Context, model: dict[str, Any], token: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        raise NotImplementedError
