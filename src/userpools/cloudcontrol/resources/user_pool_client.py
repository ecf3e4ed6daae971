"""AWS::Cognito::UserPoolClient over the app-client operations.

Inert until cognito-idp's CreateUserPoolClient family is registered in ``operations.registry.COGNITO``
(``available()`` is False, and Cloud Control answers UnsupportedActionException).
"""

from __future__ import annotations

import uuid
from typing import Any

from userpools.cloudcontrol.resources.base import ResourceType, call, pick
from userpools.cloudcontrol.schema import load
from userpools.steps.context import Context


class UserPoolClient(ResourceType):
    schema = load("aws-cognito-userpoolclient.json")
    operations = (
        "CreateUserPoolClient",
        "DescribeUserPoolClient",
        "UpdateUserPoolClient",
        "DeleteUserPoolClient",
        "ListUserPoolClients",
    )

    def create(self, ctx: Context, model: dict[str, Any]) -> dict[str, str]:
        params = {"ClientName": f"client-{uuid.uuid4().hex[:12]}", **pick(model, "CreateUserPoolClient")}
        client = call(ctx, "CreateUserPoolClient", params)["UserPoolClient"]
        return {"UserPoolId": client["UserPoolId"], "ClientId": client["ClientId"]}

    def read(self, ctx: Context, ids: dict[str, str]) -> dict[str, Any]:
        client = call(ctx, "DescribeUserPoolClient", ids)["UserPoolClient"]
        declared = self.schema.properties
        model = {k: v for k, v in client.items() if k in declared and v not in (None, [], {})}
        model["Name"] = client.get("ClientName")
        return {k: v for k, v in model.items() if v is not None}

    def update(self, ctx: Context, ids: dict[str, str], desired: dict[str, Any]) -> None:
        call(ctx, "UpdateUserPoolClient", {**pick(desired, "UpdateUserPoolClient"), **ids})

    def delete(self, ctx: Context, ids: dict[str, str]) -> None:
        call(ctx, "DeleteUserPoolClient", ids)

    def list(
        self, ctx: Context, model: dict[str, Any], token: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        page = call(
            ctx,
            "ListUserPoolClients",
            {"UserPoolId": model["UserPoolId"], "NextToken": token, "MaxResults": min(limit, 60)},
        )
        return [
            {"UserPoolId": c["UserPoolId"], "ClientId": c["ClientId"], "ClientName": c["ClientName"]}
            for c in page["UserPoolClients"]
        ], page.get("NextToken")
