"""AWS::Cognito::UserPool: CreateUserPool / DescribeUserPool / UpdateUserPool (+ AddCustomAttributes) /
DeleteUserPool / ListUserPools. Same-named properties pass straight through to the Cognito operations."""

from __future__ import annotations

import uuid
from typing import Any

from userpools.cloudcontrol.resources.base import ResourceType, call, members, pick
from userpools.cloudcontrol.schema import load
from userpools.operations.context import Context

_CUSTOM = "custom:"


class UserPool(ResourceType):
    schema = load("aws-cognito-userpool.json")
    operations = (
        "CreateUserPool",
        "DescribeUserPool",
        "UpdateUserPool",
        "DeleteUserPool",
        "ListUserPools",
        "AddCustomAttributes",
    )

    def create(self, ctx: Context, model: dict[str, Any]) -> dict[str, str]:
        params = pick(model, "CreateUserPool")
        params["PoolName"] = model.get("UserPoolName") or f"userpool-{uuid.uuid4().hex[:12]}"
        pool = call(ctx, "CreateUserPool", params)["UserPool"]
        return {"UserPoolId": pool["Id"]}

    def read(self, ctx: Context, ids: dict[str, str]) -> dict[str, Any]:
        pool = call(ctx, "DescribeUserPool", ids)["UserPool"]
        declared = self.schema.properties
        model = {k: v for k, v in pool.items() if k in declared and k != "Schema" and v not in (None, [], {})}
        model.update(
            {
                "UserPoolId": pool["Id"],
                "UserPoolName": pool["Name"],
                "Arn": pool["Arn"],
                "ProviderName": f"cognito-idp.{ctx.region}.amazonaws.com/{pool['Id']}",
                "ProviderURL": f"https://cognito-idp.{ctx.region}.amazonaws.com/{pool['Id']}",
            }
        )
        custom = [a for a in pool.get("SchemaAttributes", []) if a["Name"].startswith(_CUSTOM)]
        if custom:
            model["Schema"] = custom
        return model

    def update(self, ctx: Context, ids: dict[str, str], desired: dict[str, Any]) -> None:
        params = pick(desired, "UpdateUserPool")
        if "PoolName" in members("UpdateUserPool") and desired.get("UserPoolName"):
            params["PoolName"] = desired["UserPoolName"]
        call(ctx, "UpdateUserPool", {**params, **ids})
        current = {a["Name"] for a in self.read(ctx, ids).get("Schema", [])}
        added = [
            {**a, "Name": a["Name"].removeprefix(_CUSTOM)}
            for a in desired.get("Schema", [])
            if _CUSTOM + a.get("Name", "").removeprefix(_CUSTOM) not in current
        ]
        if added:
            call(ctx, "AddCustomAttributes", {**ids, "CustomAttributes": added})

    def delete(self, ctx: Context, ids: dict[str, str]) -> None:
        call(ctx, "DeleteUserPool", ids)

    def list(
        self, ctx: Context, model: dict[str, Any], token: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        page = call(ctx, "ListUserPools", {"MaxResults": min(limit, 60), "NextToken": token})
        return [{"UserPoolId": p["Id"], "UserPoolName": p["Name"]} for p in page["UserPools"]], page.get("NextToken")
