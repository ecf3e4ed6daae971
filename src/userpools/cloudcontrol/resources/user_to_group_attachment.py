"""AWS::Cognito::UserPoolUserToGroupAttachment: AdminAddUserToGroup / AdminRemoveUserFromGroup, read
through AdminListGroupsForUser. Identifier ``<UserPoolId>|<GroupName>|<Username>``; no list handler."""

from __future__ import annotations

from typing import Any

from userpools.cloudcontrol.resources.base import HandlerError, ResourceType, call
from userpools.cloudcontrol.schema import load
from userpools.steps.context import Context


def _is_member(ctx: Context, ids: dict[str, str]) -> bool:
    token: str | None = None
    while True:
        page = call(
            ctx,
            "AdminListGroupsForUser",
            {"UserPoolId": ids["UserPoolId"], "Username": ids["Username"], "NextToken": token, "Limit": 60},
        )
        if any(g["GroupName"] == ids["GroupName"] for g in page["Groups"]):
            return True
        token = page.get("NextToken")
        if not token:
            return False


class UserPoolUserToGroupAttachment(ResourceType):
    schema = load("aws-cognito-userpoolusertogroupattachment.json")
    operations = ("AdminAddUserToGroup", "AdminRemoveUserFromGroup", "AdminListGroupsForUser")

    def create(self, ctx: Context, model: dict[str, Any]) -> dict[str, str]:
        ids = {k: model[k] for k in ("UserPoolId", "GroupName", "Username")}
        if _is_member(ctx, ids):
            raise HandlerError("AlreadyExists", f"User {ids['Username']} is already in group {ids['GroupName']}.")
        call(ctx, "AdminAddUserToGroup", ids)
        return ids

    def read(self, ctx: Context, ids: dict[str, str]) -> dict[str, Any]:
        if not _is_member(ctx, ids):
            raise HandlerError("NotFound", f"User {ids['Username']} is not in group {ids['GroupName']}.")
        return dict(ids)

    def delete(self, ctx: Context, ids: dict[str, str]) -> None:
        self.read(ctx, ids)
        call(ctx, "AdminRemoveUserFromGroup", ids)
