"""``UserPoolGroup`` with the constructor shapes of aws-native's ``cognito.UserPoolGroup``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, overload

import pulumi

from userpools.pulumi.provider import UserPoolGroupProvider
from userpools.pulumi.resource import CognitoArgs, CognitoResource


class UserPoolGroupArgs(CognitoArgs):
    """The arguments of a UserPoolGroup, named as aws-native names them."""

    _provider = UserPoolGroupProvider

    def __init__(
        self,
        *,
        user_pool_id: pulumi.Input[str],
        group_name: pulumi.Input[str] | None = None,
        description: pulumi.Input[str] | None = None,
        precedence: pulumi.Input[int] | None = None,
        role_arn: pulumi.Input[str] | None = None,
    ) -> None:
        self._store(locals())


class UserPoolGroup(CognitoResource, module="cognito", name="UserPoolGroup"):
    """A group in a user pool, as aws-native's ``cognito.UserPoolGroup``. Output ``id`` is
    ``<UserPoolId>|<GroupName>``; user_pool_id and group_name replace it, the rest update in place."""

    _args = UserPoolGroupArgs
    _outputs = ()

    user_pool_id: pulumi.Output[str | None]
    group_name: pulumi.Output[str | None]
    description: pulumi.Output[str | None]
    precedence: pulumi.Output[int | None]
    role_arn: pulumi.Output[str | None]

    @overload
    def __init__(
        self,
        resource_name: str,
        args: UserPoolGroupArgs | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        user_pool_id: pulumi.Input[str] | None = None,
        group_name: pulumi.Input[str] | None = None,
        description: pulumi.Input[str] | None = None,
        precedence: pulumi.Input[int] | None = None,
        role_arn: pulumi.Input[str] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(resource_name, *args, **kwargs)
