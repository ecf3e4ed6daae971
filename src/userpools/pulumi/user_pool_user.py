"""``UserPoolUser`` with the constructor shapes of aws-native's ``cognito.UserPoolUser`` (the seed page)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, overload

import pulumi
from pulumi import dynamic

from userpools.pulumi.provider import UserPoolUserProvider

# Python name -> Pulumi property name (the aws-native schema's camelCase).
_NAMES = {
    "user_pool_id": "userPoolId",
    "client_metadata": "clientMetadata",
    "desired_delivery_mediums": "desiredDeliveryMediums",
    "force_alias_creation": "forceAliasCreation",
    "message_action": "messageAction",
    "user_attributes": "userAttributes",
    "username": "username",
    "validation_data": "validationData",
}
_PYTHON = {v: k for k, v in _NAMES.items()}


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
        return pulumi.get(self, "name")

    @property
    @pulumi.getter
    def value(self) -> pulumi.Input[str] | None:
        return pulumi.get(self, "value")


AttributeInput = UserPoolUserAttributeTypeArgs | Mapping[str, Any]


class UserPoolUserArgs:
    """The arguments of a UserPoolUser, as on the seed page (all optional but user_pool_id)."""

    def __init__(
        self,
        *,
        user_pool_id: pulumi.Input[str],
        client_metadata: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        desired_delivery_mediums: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        force_alias_creation: pulumi.Input[bool] | None = None,
        message_action: pulumi.Input[str] | None = None,
        user_attributes: pulumi.Input[Sequence[pulumi.Input[AttributeInput]]] | None = None,
        username: pulumi.Input[str] | None = None,
        validation_data: pulumi.Input[Sequence[pulumi.Input[AttributeInput]]] | None = None,
    ) -> None:
        self.user_pool_id = user_pool_id
        self.client_metadata = client_metadata
        self.desired_delivery_mediums = desired_delivery_mediums
        self.force_alias_creation = force_alias_creation
        self.message_action = message_action
        self.user_attributes = user_attributes
        self.username = username
        self.validation_data = validation_data

    def props(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _NAMES}


def _args(args: UserPoolUserArgs | Mapping[str, Any]) -> UserPoolUserArgs:
    if isinstance(args, UserPoolUserArgs):
        return args
    return UserPoolUserArgs(**dict(args))


class UserPoolUser(dynamic.Resource, module="cognito", name="UserPoolUser"):
    """A user in a Cognito user pool, created the way AdminCreateUser creates one. Output ``id`` is
    ``<UserPoolId>|<Username>``; every input is create-only (a change replaces the user)."""

    user_pool_id: pulumi.Output[str]
    username: pulumi.Output[str | None]
    user_attributes: pulumi.Output[list[dict[str, str]] | None]
    client_metadata: pulumi.Output[dict[str, str] | None]
    desired_delivery_mediums: pulumi.Output[list[str] | None]
    force_alias_creation: pulumi.Output[bool | None]
    message_action: pulumi.Output[str | None]
    validation_data: pulumi.Output[list[dict[str, str]] | None]

    @overload
    def __init__(self, resource_name: str, args: UserPoolUserArgs | Mapping[str, Any],
                 opts: pulumi.ResourceOptions | None = None) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        user_pool_id: pulumi.Input[str] | None = None,
        client_metadata: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        desired_delivery_mediums: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        force_alias_creation: pulumi.Input[bool] | None = None,
        message_action: pulumi.Input[str] | None = None,
        user_attributes: pulumi.Input[Sequence[pulumi.Input[AttributeInput]]] | None = None,
        username: pulumi.Input[str] | None = None,
        validation_data: pulumi.Input[Sequence[pulumi.Input[AttributeInput]]] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        positional = list(args)
        given: Any = kwargs.pop("args", None)
        if given is None and positional and isinstance(positional[0], (UserPoolUserArgs, Mapping)):
            given = positional.pop(0)
        opts = kwargs.pop("opts", None) or (positional.pop(0) if positional else None)
        if positional:
            raise TypeError("UserPoolUser takes (resource_name, args, opts) or keyword arguments")
        if given is not None:
            if kwargs:
                raise TypeError(f"UserPoolUser got both args and keyword arguments {sorted(kwargs)}")
            props = _args(given).props()
        else:
            unknown = sorted(set(kwargs) - set(_NAMES))
            if unknown:
                raise TypeError(f"UserPoolUser got unexpected keyword arguments {unknown}")
            props = {name: kwargs.get(name) for name in _NAMES}
        provider = UserPoolUserProvider()
        super().__init__(provider, resource_name, props, opts)

    def translate_input_property(self, prop: str) -> str:
        return _NAMES.get(prop, prop)

    def translate_output_property(self, prop: str) -> str:
        return _PYTHON.get(prop, prop)
