"""``UserPoolGroup`` with the constructor shapes of aws-native's ``cognito.UserPoolGroup``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, overload

import pulumi
from pulumi.dynamic import CreateResult, UpdateResult

from userpools.pulumi.provider import CognitoProvider
from userpools.pulumi.resource import CognitoArgs, CognitoResource


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
