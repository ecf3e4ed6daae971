"""The pages call Cognito's own operations (SignUp, ConfirmSignUp, ForgotPassword, ...): the same handlers
the API runs, with the same input validation, triggers and messages; the client's SECRET_HASH is computed
here, where the secret is known, since a browser never has it."""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.model import ServiceModel
from starlette.requests import Request

from userpools.domain import srp
from userpools.domain.clients import Client
from userpools.domain.errors import InvalidParameterException
from userpools.operations import COGNITO
from userpools.protocol.model import service_model
from userpools.protocol.validate import summary, validate
from userpools.steps.context import Context


@cache
def _model() -> ServiceModel:
    return service_model("cognito-idp")


def serving(context: Context, request: Request) -> Context:
    return context.serving({"headers": request.headers, "client": request.client, "url": str(request.url)})


def secret_hash(client: Client, username: str) -> str | None:
    return srp.secret_hash(client.secret, username, client.id) if client.secret else None


def checked(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` without None values, validated against the operation's input shape."""
    params = {k: v for k, v in params.items() if v is not None}
    errors = validate(_model().operation_model(name).input_shape, params)
    if errors:
        raise InvalidParameterException(summary(errors))
    return params


def invoke(context: Context, name: str, params: dict[str, Any]) -> dict[str, Any]:
    return COGNITO[name](context, checked(name, params)) or {}
