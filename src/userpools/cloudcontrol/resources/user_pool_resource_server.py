"""AWS::Cognito::UserPoolResourceServer: Create/Describe/Update/Delete/ListResourceServers."""

from __future__ import annotations

from typing import Any

from userpools.cloudcontrol.resources.base import ResourceType, call, pick
from userpools.cloudcontrol.schema import load
from userpools.steps.context import Context


def _model(server: dict[str, Any]) -> dict[str, Any]:
    return {k: server[k] for k in ("UserPoolId", "Identifier", "Name", "Scopes") if server.get(k) is not None}


class UserPoolResourceServer(ResourceType):
    schema = load("aws-cognito-userpoolresourceserver.json")
    operations = (
        "CreateResourceServer",
        "DescribeResourceServer",
        "UpdateResourceServer",
        "DeleteResourceServer",
        "ListResourceServers",
    )

    def create(self, ctx: Context, model: dict[str, Any]) -> dict[str, str]:
        server = call(ctx, "CreateResourceServer", pick(model, "CreateResourceServer"))["ResourceServer"]
        return {"UserPoolId": server["UserPoolId"], "Identifier": server["Identifier"]}

    def read(self, ctx: Context, ids: dict[str, str]) -> dict[str, Any]:
        return _model(call(ctx, "DescribeResourceServer", ids)["ResourceServer"])

    def update(self, ctx: Context, ids: dict[str, str], desired: dict[str, Any]) -> None:
        call(ctx, "UpdateResourceServer", {**pick(desired, "UpdateResourceServer"), **ids})

    def delete(self, ctx: Context, ids: dict[str, str]) -> None:
        call(ctx, "DeleteResourceServer", ids)

    def list(
        self, ctx: Context, model: dict[str, Any], token: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        params = {"UserPoolId": model["UserPoolId"], "NextToken": token, "MaxResults": min(limit, 50)}
        page = call(ctx, "ListResourceServers", params)
        return [_model(s) for s in page["ResourceServers"]], page.get("NextToken")
