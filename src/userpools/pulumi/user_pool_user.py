"""``UserPoolUser`` with the constructor shapes of aws-native's ``cognito.UserPoolUser`` (the seed page)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, overload

import pulumi
from pulumi.dynamic import CheckFailure, CreateResult

from userpools.pulumi import properties
from userpools.pulumi.provider import UNKNOWN, CognitoProvider
from userpools.pulumi.resource import CognitoArgs, CognitoResource


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


class UserPoolUserProvider(CognitoProvider):
    """``cognito.UserPoolUser``: AdminCreateUser / AdminGetUser / AdminDeleteUser. Every property is
    create-only, so any input change replaces the user, deleting first."""

    kind = "UserPoolUser"
    fields = properties.USER_POOL_USER_FIELDS
    create_only = frozenset(fields)
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


@pulumi.input_type
class UserPoolUserAttributeTypeArgs:
    def __init__(__self__, *, name: pulumi.Input[str] | None = None, value: pulumi.Input[str] | None = None) -> None:
        if name is not None:
            pulumi.set(__self__, "name", name)
        if value is not None:
            pulumi.set(__self__, "value", value)

    @property
    @pulumi.getter
    def name(self) -> pulumi.Input[str] | None:
        found: pulumi.Input[str] | None = pulumi.get(self, "name")
        return found

    @property
    @pulumi.getter
    def value(self) -> pulumi.Input[str] | None:
        found: pulumi.Input[str] | None = pulumi.get(self, "value")
        return found


AttributeInput = UserPoolUserAttributeTypeArgs | Mapping[str, Any]


# --- generated by python -m userpools.pulumi.generate from aws-cognito-userpooluser.json; do not edit below ---


class UserPoolUserArgs(CognitoArgs):
    """The arguments of a UserPoolUser, as on the seed page (all optional but user_pool_id)."""

    _provider = UserPoolUserProvider

    def __init__(
        self,
        *,
        user_pool_id: pulumi.Input[str],
        desired_delivery_mediums: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        force_alias_creation: pulumi.Input[bool] | None = None,
        user_attributes: pulumi.Input[Sequence[pulumi.Input[AttributeInput]]] | None = None,
        message_action: pulumi.Input[str] | None = None,
        username: pulumi.Input[str] | None = None,
        validation_data: pulumi.Input[Sequence[pulumi.Input[AttributeInput]]] | None = None,
        client_metadata: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
    ) -> None:
        self._store(locals())


class UserPoolUser(CognitoResource, module="cognito", name="UserPoolUser"):
    """A user in a Cognito user pool, created the way AdminCreateUser creates one. Output ``id`` is
    ``<UserPoolId>|<Username>``; every input is create-only (a change replaces the user)."""

    _args = UserPoolUserArgs
    _outputs = properties.USER_POOL_USER_OUTPUTS

    user_pool_id: pulumi.Output[str]
    desired_delivery_mediums: pulumi.Output[list[str] | None]
    force_alias_creation: pulumi.Output[bool | None]
    user_attributes: pulumi.Output[list[dict[str, str]] | None]
    message_action: pulumi.Output[str | None]
    username: pulumi.Output[str | None]
    validation_data: pulumi.Output[list[dict[str, str]] | None]
    client_metadata: pulumi.Output[dict[str, str] | None]

    @overload
    def __init__(
        self,
        resource_name: str,
        args: UserPoolUserArgs | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        user_pool_id: pulumi.Input[str] | None = None,
        desired_delivery_mediums: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        force_alias_creation: pulumi.Input[bool] | None = None,
        user_attributes: pulumi.Input[Sequence[pulumi.Input[AttributeInput]]] | None = None,
        message_action: pulumi.Input[str] | None = None,
        username: pulumi.Input[str] | None = None,
        validation_data: pulumi.Input[Sequence[pulumi.Input[AttributeInput]]] | None = None,
        client_metadata: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(resource_name, *args, **kwargs)


# --- end of generated code ---
