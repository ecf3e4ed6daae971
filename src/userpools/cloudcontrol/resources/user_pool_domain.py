"""AWS::Cognito::UserPoolDomain: CreateUserPoolDomain / DescribeUserPoolDomain / UpdateUserPoolDomain /
DeleteUserPoolDomain (no list: Cognito has no ListUserPoolDomains)."""

from __future__ import annotations

from typing import Any

from userpools.cloudcontrol.resources.base import HandlerError, ResourceType, call, pick
from userpools.cloudcontrol.schema import load
from userpools.steps.context import Context


class UserPoolDomain(ResourceType):
    schema = load("aws-cognito-userpooldomain.json")
    operations = ("CreateUserPoolDomain", "DescribeUserPoolDomain", "UpdateUserPoolDomain", "DeleteUserPoolDomain")

    def create(self, ctx: Context, model: dict[str, Any]) -> dict[str, str]:
        call(ctx, "CreateUserPoolDomain", pick(model, "CreateUserPoolDomain"))
        return {"UserPoolId": model["UserPoolId"], "Domain": model["Domain"]}

    def read(self, ctx: Context, ids: dict[str, str]) -> dict[str, Any]:
        found = call(ctx, "DescribeUserPoolDomain", {"Domain": ids["Domain"]})["DomainDescription"]
        if not found or found.get("UserPoolId") != ids["UserPoolId"]:
            raise HandlerError("NotFound", f"Domain {ids['Domain']} does not exist in user pool {ids['UserPoolId']}.")
        model = {
            k: found[k] for k in ("UserPoolId", "Domain", "CustomDomainConfig", "ManagedLoginVersion") if k in found
        }
        model["CloudFrontDistribution"] = found["CloudFrontDistribution"]
        return model

    def update(self, ctx: Context, ids: dict[str, str], desired: dict[str, Any]) -> None:
        self.read(ctx, ids)
        call(ctx, "UpdateUserPoolDomain", {**pick(desired, "UpdateUserPoolDomain"), **ids})

    def delete(self, ctx: Context, ids: dict[str, str]) -> None:
        call(ctx, "DeleteUserPoolDomain", ids)
