"""``UserPoolUser`` with the constructor shapes of aws-native's ``cognito.UserPoolUser`` (the seed page)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, overload

import pulumi

from userpools.pulumi.provider import UserPoolUserProvider
from userpools.pulumi.resource import CognitoArgs, CognitoResource


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


class UserPoolUserArgs(CognitoArgs):
    """The arguments of a UserPoolUser, as on the seed page (all optional but user_pool_id)."""

    _provider = UserPoolUserProvider

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
        self._store(locals())


class UserPoolUser(CognitoResource, module="cognito", name="UserPoolUser"):
    """A user in a Cognito user pool, created the way AdminCreateUser creates one. Output ``id`` is
    ``<UserPoolId>|<Username>``; every input is create-only (a change replaces the user)."""

    _args = UserPoolUserArgs

    user_pool_id: pulumi.Output[str]
    username: pulumi.Output[str | None]
    user_attributes: pulumi.Output[list[dict[str, str]] | None]
    client_metadata: pulumi.Output[dict[str, str] | None]
    desired_delivery_mediums: pulumi.Output[list[str] | None]
    force_alias_creation: pulumi.Output[bool | None]
    message_action: pulumi.Output[str | None]
    validation_data: pulumi.Output[list[dict[str, str]] | None]

    @overload
    def __init__(
        self, resource_name: str, args: UserPoolUserArgs | Mapping[str, Any], opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

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
        super().__init__(resource_name, *args, **kwargs)
