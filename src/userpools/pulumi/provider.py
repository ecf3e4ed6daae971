"""The dynamic provider behind ``userpools.pulumi.UserPoolUser``: AdminCreateUser / AdminGetUser /
AdminDeleteUser through boto3, against userpools or real Cognito.

Semantics follow aws-native's ``cognito.UserPoolUser`` (Cloud Control, every property create-only):
any input change replaces the user, deleting first (the same username must not collide); a user
deleted outside Pulumi reads as gone; write-only inputs stay in state as given; ``check`` rejects
bad input naming the field.

Endpoint and region: the provider's own ``endpoint_url`` / ``region``, else stack config
``userpools:endpoint`` / ``userpools:region`` (or ``aws:region``), else the usual AWS environment
(``AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER``, ``AWS_ENDPOINT_URL``, ``AWS_REGION``).
"""

from __future__ import annotations

import os
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

# Pulumi (wire) property name -> AdminCreateUser parameter.
FIELDS = {
    "userPoolId": "UserPoolId",
    "username": "Username",
    "userAttributes": "UserAttributes",
    "validationData": "ValidationData",
    "clientMetadata": "ClientMetadata",
    "desiredDeliveryMediums": "DesiredDeliveryMediums",
    "forceAliasCreation": "ForceAliasCreation",
    "messageAction": "MessageAction",
}
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # pulumi.runtime.rpc.UNKNOWN: a value known only after apply
_GONE = ("UserNotFoundException", "ResourceNotFoundException")


def _attributes(values: list[dict[str, str]] | None) -> list[dict[str, str]] | None:
    if values is None:
        return None
    return [{"Name": a["name"], "Value": a["value"]} for a in values]


def _check_pairs(field: str, value: Any) -> str | None:
    if not isinstance(value, list):
        return f"{field} must be a list of {{name, value}} pairs"
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(
            item.get("value", ""), str
        ):
            return f"{field}[{index}] must have a string name and a string value"
    return None


def check_inputs(news: dict[str, Any]) -> list[CheckFailure]:
    failures: list[CheckFailure] = []

    def fail(field: str, reason: str) -> None:
        failures.append(CheckFailure(field, reason))

    known = {k: v for k, v in news.items() if v is not None and v != UNKNOWN}
    for field in ("userPoolId", "username"):
        if field not in news or news[field] is None:
            fail(field, f"{field} is required")
        elif field in known and (not isinstance(known[field], str) or not known[field]):
            fail(field, f"{field} must be a non-empty string")
    for field in ("userAttributes", "validationData"):
        if field in known and (reason := _check_pairs(field, known[field])):
            fail(field, reason)
    metadata = known.get("clientMetadata")
    if metadata is not None and not (
        isinstance(metadata, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())
    ):
        fail("clientMetadata", "clientMetadata must be a map of strings to strings")
    mediums = known.get("desiredDeliveryMediums")
    if mediums is not None and (not isinstance(mediums, list) or not set(mediums) <= {"EMAIL", "SMS"}):
        fail("desiredDeliveryMediums", "desiredDeliveryMediums must be a list of EMAIL and/or SMS")
    if "forceAliasCreation" in known and not isinstance(known["forceAliasCreation"], bool):
        fail("forceAliasCreation", "forceAliasCreation must be a boolean")
    if "messageAction" in known and known["messageAction"] not in ("RESEND", "SUPPRESS"):
        fail("messageAction", "messageAction must be RESEND or SUPPRESS")
    return failures


class UserPoolUserProvider(ResourceProvider):
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
            self._client = boto3.client("cognito-idp", endpoint_url=self.endpoint_url or None,
                                        region_name=region or "us-east-1")
        return self._client

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult(news, check_inputs(news))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        replaces = [f for f in FIELDS if olds.get(f) != news.get(f)]
        return DiffResult(changes=bool(replaces), replaces=replaces, stables=[], delete_before_replace=True)

    def create(self, props: dict[str, Any]) -> CreateResult:
        params = {FIELDS[k]: v for k, v in props.items() if k in FIELDS and v is not None}
        for key in ("UserAttributes", "ValidationData"):
            if key in params:
                params[key] = _attributes(params[key])
        user = self.client().admin_create_user(**params)["User"]
        outs = {k: v for k, v in props.items() if k in FIELDS}
        return CreateResult(f"{props['userPoolId']}|{user['Username']}", outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        pool, _, username = id_.partition("|")
        try:
            user = self.client().admin_get_user(UserPoolId=pool, Username=username)
        except Exception as error:
            if _error_code(error) in _GONE:
                return ReadResult("", {})
            raise
        current = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
        outs = {k: v for k, v in props.items() if k in FIELDS}
        if not outs:  # an import: take what Cognito knows
            outs = {"userPoolId": pool, "username": user["Username"],
                    "userAttributes": [{"name": k, "value": v} for k, v in current.items() if k != "sub"]}
        elif outs.get("userAttributes"):
            outs["userAttributes"] = [
                {"name": a["name"], "value": current[a["name"]]} for a in outs["userAttributes"] if a["name"] in current
            ]
        return ReadResult(id_, outs)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        raise RuntimeError("A UserPoolUser cannot be updated in place; every input change replaces it.")

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        pool, _, username = id_.partition("|")
        try:
            self.client().admin_delete_user(UserPoolId=pool, Username=username)
        except Exception as error:
            if _error_code(error) not in _GONE:
                raise


def _error_code(error: Exception) -> str | None:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return response.get("Error", {}).get("Code")
    return None
