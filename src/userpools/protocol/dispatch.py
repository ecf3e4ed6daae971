"""One AWS JSON service: X-Amz-Target → operation → validated params → handler → serialized output."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from botocore.model import OperationModel, ServiceModel

from userpools.errors import ServiceError, not_built
from userpools.protocol.errors import (
    SerializationException,
    UnknownOperationException,
    ValidationError,
)
from userpools.protocol.model import requires_iam
from userpools.protocol.serialize import serialize
from userpools.protocol.validate import summary, validate

log = logging.getLogger("userpools.protocol")

Handler = Callable[[Any, dict[str, Any]], dict[str, Any] | None]


def _loads(body: bytes) -> Any:
    """orjson, falling back to the standard library for what orjson refuses (NaN, integers past 64 bits),
    but never to a string orjson refused for a lone surrogate ("\\ud800"): no storage can encode it. Nesting
    past orjson's 1024 levels raises RecursionError in the fallback."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        value = json.loads(body)
    json.dumps(value, ensure_ascii=False).encode()  # UnicodeEncodeError (a ValueError) on a lone surrogate
    return value


@dataclass(frozen=True)
class Call:
    """A parsed, validated request, ready for its handler."""

    operation: OperationModel
    params: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.operation.name)

    @property
    def requires_iam(self) -> bool:
        return requires_iam(self.operation)


@dataclass
class Service:
    model: ServiceModel
    validation_error: type[ServiceError] = ValidationError
    handlers: dict[str, Handler] = field(default_factory=dict)

    @property
    def target_prefix(self) -> str:
        return str(self.model.metadata["targetPrefix"])

    @property
    def content_type(self) -> str:
        return f"application/x-amz-json-{self.model.metadata.get('jsonVersion', '1.1')}"

    def register(self, name: str, handler: Handler) -> None:
        if name not in self.model.operation_names:
            raise ValueError(f"{name} is not an operation of {self.model.service_name}")
        self.handlers[name] = handler

    def operation(self, target: str | None) -> OperationModel:
        """The operation the X-Amz-Target header names, known before the body is read (and authenticated)."""
        prefix, _, name = (target or "").partition(".")
        if prefix != self.target_prefix or not name:
            raise UnknownOperationException(f"Unknown operation {target!r}")
        try:
            return self.model.operation_model(name)
        except Exception:
            raise UnknownOperationException(f"Unknown operation {target!r}") from None

    def parse(self, target: str | OperationModel | None, body: bytes, *, built: bool = False) -> Call:
        """The call ``body`` makes of the operation ``target`` names. With ``built``, an operation of the model
        without a handler answers 501 before its body is parsed: whoever calls it learns first that it is not
        built, not how to fix input it cannot use yet."""
        operation = target if isinstance(target, OperationModel) else self.operation(target)
        if built and operation.name not in self.handlers:
            raise not_built(f"The operation {operation.name}")
        try:
            params = _loads(body) if body.strip() else {}
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise SerializationException("The request body is not valid JSON.") from None
        if not isinstance(params, dict):
            raise SerializationException("The request body must be a JSON object.")
        errors = validate(operation.input_shape, params)
        if errors:
            raise self.validation_error(summary(errors))
        return Call(operation, params)

    def invoke(self, call: Call, context: Any) -> dict[str, Any]:
        handler = self.handlers.get(call.name)
        if handler is None:
            raise not_built(f"The operation {call.name}")
        result = handler(context, call.params) or {}
        return serialize(call.operation.output_shape, result) or {}


def error_body(error: ServiceError) -> tuple[int, dict[str, Any]]:
    return error.status, error.body()


_DATABASE_PACKAGES = frozenset({"sqlalchemy", "psycopg", "sqlite3"})


def internal_error_body(exc: BaseException) -> tuple[int, dict[str, Any]]:
    if type(exc).__module__.partition(".")[0] in _DATABASE_PACKAGES:
        # A database error's text carries its statement's values (PostgreSQL's DETAIL: "Key (email)=(...)"):
        # log where it happened and its class, never its message.
        where = "".join(traceback.format_tb(exc.__traceback__))
        log.error("internal error: %s.%s\n%s", type(exc).__module__, type(exc).__qualname__, where)
    else:
        log.exception("internal error", exc_info=exc)
    return 500, {"__type": "InternalErrorException", "message": "Internal server error."}
