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
import uuid
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


def _key(name: str) -> str:
    return name.replace("_", "").lower()


def _shaped(value: Any, shape: Any) -> Any:
    """A Pulumi value as botocore's shape wants it: structure keys matched whatever their case
    (``password_policy``, ``passwordPolicy``, ``PasswordPolicy``), whole numbers as ints (Pulumi
    sends every number as a float); map keys (tags, metadata) are kept as given."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = {_key(name): name for name in shape.members}
        out = {}
        for k, v in value.items():
            name = members.get(_key(k), k)
            out[name] = _shaped(v, shape.members[name]) if name in shape.members else v
        return out
    if kind == "list" and isinstance(value, list):
        return [_shaped(v, shape.member) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: _shaped(v, shape.value) for k, v in value.items()}
    if kind in ("integer", "long") and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _check_pairs(field: str, value: Any) -> str | None:
    if not isinstance(value, list):
        return f"{field} must be a list of {{name, value}} pairs"
    for index, item in enumerate(value):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("name"), str)
            or not isinstance(item.get("value", ""), str)
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
            param: _shaped(props[wire], shape.members[param])
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


class UserPoolUserProvider(CognitoProvider):
    kind = "UserPoolUser"
    fields = FIELDS
    create_only = frozenset(FIELDS)
    required = ("userPoolId", "username")
    delete_before_replace = True  # the same username must not collide

    def check_inputs(self, news: dict[str, Any]) -> list[CheckFailure]:
        return check_inputs(news)

    def create(self, props: dict[str, Any]) -> CreateResult:
        user = self.client().admin_create_user(**self.params(props, "AdminCreateUser"))["User"]
        return CreateResult(f"{props['userPoolId']}|{user['Username']}", self.inputs(props))

    def fetch(self, id_: str, props: dict[str, Any]) -> dict[str, Any]:
        pool, _, username = id_.partition("|")
        user = self.client().admin_get_user(UserPoolId=pool, Username=username)
        current = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
        outs = self.inputs(props)
        if not outs:  # an import: take what Cognito knows
            outs = {
                "userPoolId": pool,
                "username": user["Username"],
                "userAttributes": [{"name": k, "value": v} for k, v in current.items() if k != "sub"],
            }
        elif outs.get("userAttributes"):
            outs["userAttributes"] = [
                {"name": a["name"], "value": current[a["name"]]} for a in outs["userAttributes"] if a["name"] in current
            ]
        return outs

    def remove(self, id_: str) -> None:
        pool, _, username = id_.partition("|")
        self.client().admin_delete_user(UserPoolId=pool, Username=username)


def _camel(name: str) -> str:
    return name[0].lower() + name[1:]


class UserPoolProvider(CognitoProvider):
    """``cognito.UserPool``: CreateUserPool / DescribeUserPool / UpdateUserPool (+ AddCustomAttributes) /
    DeleteUserPool. UpdateUserPool resets what it is not given, so an update sends every input.
    Inputs UpdateUserPool does not take (alias and username attributes, username configuration)
    replace the pool; so does a schema change other than added attributes."""

    kind = "UserPool"
    fields = {
        "userPoolName": "PoolName",
        **{
            _camel(p): p
            for p in (
                "Policies",
                "AccountRecoverySetting",
                "AdminCreateUserConfig",
                "AliasAttributes",
                "UsernameAttributes",
                "AutoVerifiedAttributes",
                "DeviceConfiguration",
                "EmailConfiguration",
                "EmailVerificationMessage",
                "EmailVerificationSubject",
                "DeletionProtection",
                "LambdaConfig",
                "MfaConfiguration",
                "SmsAuthenticationMessage",
                "SmsConfiguration",
                "SmsVerificationMessage",
                "Schema",
                "UsernameConfiguration",
                "UserAttributeUpdateSettings",
                "UserPoolTags",
                "VerificationMessageTemplate",
                "UserPoolAddOns",
                "UserPoolTier",
            )
        },
    }
    create_only = frozenset({"aliasAttributes", "usernameAttributes", "usernameConfiguration"})
    autoname = "userPoolName"

    def replaces(self, olds: dict[str, Any], news: dict[str, Any]) -> list[str]:
        replaces = super().replaces(olds, news)
        old, new = _by_name(olds.get("schema")), _by_name(news.get("schema"))
        if any(new.get(name) != entry for name, entry in old.items()):
            replaces.append("schema")
        return replaces

    def outputs(self, pool: dict[str, Any]) -> dict[str, Any]:
        region = pool["Arn"].split(":")[3]
        issuer = f"cognito-idp.{region}.amazonaws.com/{pool['Id']}"
        return {
            "userPoolId": pool["Id"],
            "arn": pool["Arn"],
            "providerName": issuer,
            "providerUrl": f"https://{issuer}",
        }

    def create(self, props: dict[str, Any]) -> CreateResult:
        pool = self.client().create_user_pool(**self.params(props, "CreateUserPool"))["UserPool"]
        return CreateResult(pool["Id"], {**self.inputs(props), **self.outputs(pool)})

    def fetch(self, id_: str, props: dict[str, Any]) -> dict[str, Any]:
        pool = self.client().describe_user_pool(UserPoolId=id_)["UserPool"]
        return {**(self.inputs(props) or {"userPoolName": pool["Name"]}), **self.outputs(pool)}

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        self.client().update_user_pool(UserPoolId=id_, **self.params(news, "UpdateUserPool"))
        old = _by_name(olds.get("schema"))
        added = [entry for name, entry in _by_name(news.get("schema")).items() if name not in old]
        if added:
            shape = self.client().meta.service_model.operation_model("AddCustomAttributes").input_shape
            self.client().add_custom_attributes(
                UserPoolId=id_, CustomAttributes=_shaped(added, shape.members["CustomAttributes"])
            )
        pool = self.client().describe_user_pool(UserPoolId=id_)["UserPool"]
        return UpdateResult({**self.inputs(news), **self.outputs(pool)})

    def remove(self, id_: str) -> None:
        self.client().delete_user_pool(UserPoolId=id_)


def _by_name(schema: Any) -> dict[str, Any]:
    entries = schema if isinstance(schema, list) else []
    return {next((v for k, v in e.items() if _key(k) == "name"), ""): e for e in entries if isinstance(e, dict)}


class UserPoolClientProvider(CognitoProvider):
    """``cognito.UserPoolClient``: CreateUserPoolClient / DescribeUserPoolClient / UpdateUserPoolClient
    (sent every input: it resets what it is not given) / DeleteUserPoolClient. A new pool or a
    change of generate_secret replaces the client. Id ``<UserPoolId>|<ClientId>``."""

    kind = "UserPoolClient"
    fields = {
        "userPoolId": "UserPoolId",
        "clientName": "ClientName",
        "generateSecret": "GenerateSecret",
        "explicitAuthFlows": "ExplicitAuthFlows",
        "readAttributes": "ReadAttributes",
        "writeAttributes": "WriteAttributes",
        "authSessionValidity": "AuthSessionValidity",
        "refreshTokenValidity": "RefreshTokenValidity",
        "accessTokenValidity": "AccessTokenValidity",
        "idTokenValidity": "IdTokenValidity",
        "tokenValidityUnits": "TokenValidityUnits",
        "allowedOAuthFlows": "AllowedOAuthFlows",
        "allowedOAuthFlowsUserPoolClient": "AllowedOAuthFlowsUserPoolClient",
        "allowedOAuthScopes": "AllowedOAuthScopes",
        "callbackUrls": "CallbackURLs",
        "defaultRedirectUri": "DefaultRedirectURI",
        "logoutUrls": "LogoutURLs",
        "supportedIdentityProviders": "SupportedIdentityProviders",
        "analyticsConfiguration": "AnalyticsConfiguration",
        "preventUserExistenceErrors": "PreventUserExistenceErrors",
        "enableTokenRevocation": "EnableTokenRevocation",
        "enablePropagateAdditionalUserContextData": "EnablePropagateAdditionalUserContextData",
        "refreshTokenRotation": "RefreshTokenRotation",
    }
    create_only = frozenset({"userPoolId", "generateSecret"})
    required = ("userPoolId",)
    autoname = "clientName"

    @staticmethod
    def outputs(client: dict[str, Any]) -> dict[str, Any]:
        return {
            "clientId": client["ClientId"],
            "clientSecret": client.get("ClientSecret"),
            "name": client["ClientName"],
        }

    def create(self, props: dict[str, Any]) -> CreateResult:
        params = self.params(props, "CreateUserPoolClient")
        client = self.client().create_user_pool_client(**params)["UserPoolClient"]
        outs = {**self.inputs(props), **self.outputs(client)}
        return CreateResult(f"{client['UserPoolId']}|{client['ClientId']}", outs)

    def fetch(self, id_: str, props: dict[str, Any]) -> dict[str, Any]:
        pool, _, client_id = id_.partition("|")
        client = self.client().describe_user_pool_client(UserPoolId=pool, ClientId=client_id)["UserPoolClient"]
        inputs = self.inputs(props) or {"userPoolId": pool, "clientName": client["ClientName"]}
        return {**inputs, **self.outputs(client)}

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        pool, _, client_id = id_.partition("|")
        params = {**self.params(news, "UpdateUserPoolClient"), "UserPoolId": pool, "ClientId": client_id}
        client = self.client().update_user_pool_client(**params)["UserPoolClient"]
        return UpdateResult({**self.inputs(news), **self.outputs(client)})

    def remove(self, id_: str) -> None:
        pool, _, client_id = id_.partition("|")
        self.client().delete_user_pool_client(UserPoolId=pool, ClientId=client_id)


class UserPoolGroupProvider(CognitoProvider):
    """``cognito.UserPoolGroup``: CreateGroup / GetGroup / UpdateGroup / DeleteGroup. A new pool or
    name replaces the group. Id ``<UserPoolId>|<GroupName>``."""

    kind = "UserPoolGroup"
    fields = {
        "userPoolId": "UserPoolId",
        "groupName": "GroupName",
        "description": "Description",
        "precedence": "Precedence",
        "roleArn": "RoleArn",
    }
    create_only = frozenset({"userPoolId", "groupName"})
    required = ("userPoolId",)
    autoname = "groupName"

    def create(self, props: dict[str, Any]) -> CreateResult:
        group = self.client().create_group(**self.params(props, "CreateGroup"))["Group"]
        return CreateResult(f"{group['UserPoolId']}|{group['GroupName']}", self.inputs(props))

    def fetch(self, id_: str, props: dict[str, Any]) -> dict[str, Any]:
        pool, _, name = id_.partition("|")
        group = self.client().get_group(UserPoolId=pool, GroupName=name)["Group"]
        return self.inputs(props) or {
            wire: group[param] for wire, param in self.fields.items() if group.get(param) is not None
        }

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        params = self.params(news, "UpdateGroup")
        if news.get("description") is None and olds.get("description") is not None:
            params["Description"] = ""  # removed: cleared, as aws-native would
        self.client().update_group(**params)
        return UpdateResult(self.inputs(news))

    def remove(self, id_: str) -> None:
        pool, _, name = id_.partition("|")
        self.client().delete_group(UserPoolId=pool, GroupName=name)


def _error_code(error: Exception) -> str | None:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        return None if code is None else str(code)
    return None
