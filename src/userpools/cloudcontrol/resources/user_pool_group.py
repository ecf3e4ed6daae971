"""AWS::Cognito::UserPoolGroup: CreateGroup / GetGroup / UpdateGroup / DeleteGroup / ListGroups."""

from __future__ import annotations

import uuid
from typing import Any

from userpools.cloudcontrol.resources.base import ResourceType, call, pick
from userpools.cloudcontrol.schema import load
from userpools.steps.context import Context

_FIELDS = ("UserPoolId", "GroupName", "Description", "Precedence", "RoleArn")


def _model(group: dict[str, Any]) -> dict[str, Any]:
    return {k: group[k] for k in _FIELDS if group.get(k) is not None}


class UserPoolGroup(ResourceType):
    schema = load("aws-cognito-userpoolgroup.json")
    operations = ("CreateGroup", "GetGroup", "UpdateGroup", "DeleteGroup", "ListGroups")

    def create(self, ctx: Context, model: dict[str, Any]) -> dict[str, str]:
        # Like CloudFormation, a group without a name gets a generated one.
        params = {"GroupName": f"group-{uuid.uuid4().hex[:12]}", **pick(model, "CreateGroup")}
        group = call(ctx, "CreateGroup", params)["Group"]
        return {"UserPoolId": group["UserPoolId"], "GroupName": group["GroupName"]}

    def read(self, ctx: Context, ids: dict[str, str]) -> dict[str, Any]:
        return _model(call(ctx, "GetGroup", ids)["Group"])

    def update(self, ctx: Context, ids: dict[str, str], desired: dict[str, Any]) -> None:
        call(ctx, "UpdateGroup", {**pick(desired, "UpdateGroup"), **ids})

    def delete(self, ctx: Context, ids: dict[str, str]) -> None:
        call(ctx, "DeleteGroup", ids)

    def list(
        self, ctx: Context, model: dict[str, Any], token: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        page = call(ctx, "ListGroups", {"UserPoolId": model["UserPoolId"], "NextToken": token, "Limit": min(limit, 60)})
        return [_model(g) for g in page["Groups"]], page.get("NextToken")
