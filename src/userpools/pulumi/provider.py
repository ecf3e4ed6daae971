"""What the dynamic providers behind ``userpools.pulumi``'s resources share, through boto3, against
userpools or real Cognito; each resource's own provider lives beside it (user_pool.py, ...).

Semantics follow aws-native's (Cloud Control): a change of a create-only input replaces the resource; a
resource deleted outside Pulumi reads as gone; write-only inputs stay in state as given; ``check`` rejects
bad input naming the field.

Endpoint and region: the provider's own ``endpoint_url`` / ``region``, else stack config
``userpools:endpoint`` / ``userpools:region`` (or ``aws:region``), else the usual AWS environment
(``AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER``, ``AWS_ENDPOINT_URL``, ``AWS_REGION``).
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # pulumi.runtime.rpc.UNKNOWN: a value known only after apply
_GONE = ("UserNotFoundException", "ResourceNotFoundException")


def loose_key(name: str) -> str:
    return name.replace("_", "").lower()


def shaped(value: Any, shape: Any) -> Any:
    """A Pulumi value as botocore's shape wants it: structure keys matched whatever their case
    (``password_policy``, ``passwordPolicy``, ``PasswordPolicy``), whole numbers as ints (Pulumi
    sends every number as a float); map keys (tags, metadata) are kept as given."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = {loose_key(name): name for name in shape.members}
        out = {}
        for k, v in value.items():
            name = members.get(loose_key(k), k)
            out[name] = shaped(v, shape.members[name]) if name in shape.members else v
        return out
    if kind == "list" and isinstance(value, list):
        return [shaped(v, shape.member) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: shaped(v, shape.value) for k, v in value.items()}
    if kind in ("integer", "long") and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class CognitoProvider(ResourceProvider):
    """What the four providers share: endpoint and region, the boto3 client, inputs mapped to a
    Cognito operation's parameters (nested keys matched to botocore's shapes, so snake_case,
    camelCase and Cognito's own names all work), a diff that replaces on create-only inputs, and
    Read / Delete that treat a missing resource as gone."""

    kind = "resource"
    fields: dict[str, str] = {}  # Pulumi (wire) property name -> Cognito parameter
    create_only: frozenset[str] = frozenset()
    required: tuple[str, ...] = ()
    delete_before_replace = False

    def __init__(self, endpoint_url: str | None = None, region: str | None = None) -> None:
        self.endpoint_url = endpoint_url
        self.region = region
        self._client: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_client": None}

    def configure(self, req: ConfigureRequest) -> None:
        config = req.config
        self.endpoint_url = self.endpoint_url or config.get("userpools:endpoint")
        self.region = self.region or config.get("userpools:region") or config.get("aws:region")

    def client(self) -> Any:
        if self._client is None:
            import boto3

            region = self.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
            self._client = boto3.client(
                "cognito-idp", endpoint_url=self.endpoint_url or None, region_name=region or "us-east-1"
            )
        return self._client

    def params(self, props: dict[str, Any], operation: str) -> dict[str, Any]:
        """The inputs this operation accepts, as its parameters."""
        shape = self.client().meta.service_model.operation_model(operation).input_shape
        return {
            param: shaped(props[wire], shape.members[param])
            for wire, param in self.fields.items()
            if param in shape.members and props.get(wire) is not None
        }

    def inputs(self, props: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if k in self.fields}

    def check_inputs(self, news: dict[str, Any]) -> list[CheckFailure]:
        failures = []
        for field in self.required:
            if news.get(field) is None:
                failures.append(CheckFailure(field, f"{field} is required"))
            elif news[field] != UNKNOWN and (not isinstance(news[field], str) or not news[field]):
                failures.append(CheckFailure(field, f"{field} must be a non-empty string"))
        return failures

    autoname: str | None = None  # an optional name input generated when not given, as aws-native does

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        field = self.autoname
        if field and news.get(field) is None:
            news = {**news, field: olds.get(field) or f"{field.removesuffix('Name').lower()}-{uuid.uuid4().hex[:12]}"}
        return CheckResult(news, self.check_inputs(news))

    def replaces(self, olds: dict[str, Any], news: dict[str, Any]) -> list[str]:
        return [f for f in self.fields if f in self.create_only and olds.get(f) != news.get(f)]

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [f for f in self.fields if olds.get(f) != news.get(f)]
        return DiffResult(
            changes=bool(changed),
            replaces=self.replaces(olds, news),
            stables=[],
            delete_before_replace=self.delete_before_replace,
        )

    def fetch(self, id_: str, props: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            outs = self.fetch(id_, props)
        except Exception as error:
            if _error_code(error) in _GONE:
                return ReadResult("", {})
            raise
        return ReadResult(id_, outs)

    def remove(self, id_: str) -> None:
        raise NotImplementedError

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        try:
            self.remove(id_)
        except Exception as error:
            if _error_code(error) not in _GONE:
                raise

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        raise RuntimeError(f"A {self.kind} cannot be updated in place; every input change replaces it.")


def _error_code(error: Exception) -> str | None:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        return None if code is None else str(code)
    return None
