"""AWS::Cognito::UserPoolUser: AdminCreateUser / AdminGetUser / AdminDeleteUser / ListUsers.

Identifier ``<UserPoolId>|<Username>``; every property is create-only, so there is no update handler.
"""

from __future__ import annotations

from typing import Any

from userpools.cloudcontrol.resources.base import ResourceType, call, pick
from userpools.cloudcontrol.schema import load
from userpools.steps.context import Context


class UserPoolUser(ResourceType):
    schema = load("aws-cognito-userpooluser.json")
    operations = ("AdminCreateUser", "AdminGetUser", "AdminDeleteUser", "ListUsers")

    def create(self, ctx: Context, model: dict[str, Any]) -> dict[str, str]:
        user = call(ctx, "AdminCreateUser", pick(model, "AdminCreateUser"))["User"]
        return {"UserPoolId": model["UserPoolId"], "Username": user["Username"]}

    def read(self, ctx: Context, ids: dict[str, str]) -> dict[str, Any]:
        user = call(ctx, "AdminGetUser", ids)
        return {
            "UserPoolId": ids["UserPoolId"],
            "Username": user["Username"],
            "UserAttributes": user.get("UserAttributes", []),
        }

    def delete(self, ctx: Context, ids: dict[str, str]) -> None:
        call(ctx, "AdminDeleteUser", ids)

    def list(
        self, ctx: Context, model: dict[str, Any], token: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        page = call(
            ctx, "ListUsers", {"UserPoolId": model["UserPoolId"], "PaginationToken": token, "Limit": min(limit, 60)}
        )
        users = [
            {"UserPoolId": model["UserPoolId"], "Username": u["Username"], "UserAttributes": u.get("Attributes", [])}
            for u in page["Users"]
        ]
        return users, page.get("PaginationToken")
