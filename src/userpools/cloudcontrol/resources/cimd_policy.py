"""AWS::Cognito::CIMDPolicy: Create/Describe/Update/Delete/ListCIMDPolicies.

Choices where the registry schema is not at hand: the primary identifier is ``<UserPoolId>|<CIMDPolicyId>``
(CIMDPolicyId read-only, UserPoolId create-only); an update sends the whole desired state, so a CacheDuration
removed from the template keeps the stored one (UpdateCIMDPolicy keeps an omitted duration). List answers each
policy's identifier properties and name (ListCIMDPolicies leaves out URLPatterns).
"""

from __future__ import annotations

from typing import Any

from userpools.cloudcontrol.resources.base import ResourceType, call, pick
from userpools.cloudcontrol.schema import load
from userpools.steps.context import Context

_KEPT = ("UserPoolId", "CIMDPolicyId", "ClientId", "PolicyName", "CacheDuration", "URLPatterns")


def _model(policy: dict[str, Any], pool_id: str) -> dict[str, Any]:
    return {"UserPoolId": pool_id, **{k: policy[k] for k in _KEPT if policy.get(k) is not None}}


class CIMDPolicy(ResourceType):
    schema = load("aws-cognito-cimdpolicy.json")
    operations = ("CreateCIMDPolicy", "DescribeCIMDPolicy", "UpdateCIMDPolicy", "DeleteCIMDPolicy", "ListCIMDPolicies")

    def create(self, ctx: Context, model: dict[str, Any]) -> dict[str, str]:
        policy = call(ctx, "CreateCIMDPolicy", pick(model, "CreateCIMDPolicy"))["CIMDPolicy"]
        return {"UserPoolId": policy["UserPoolId"], "CIMDPolicyId": policy["CIMDPolicyId"]}

    def read(self, ctx: Context, ids: dict[str, str]) -> dict[str, Any]:
        return _model(call(ctx, "DescribeCIMDPolicy", ids)["CIMDPolicy"], ids["UserPoolId"])

    def update(self, ctx: Context, ids: dict[str, str], desired: dict[str, Any]) -> None:
        call(ctx, "UpdateCIMDPolicy", {**pick(desired, "UpdateCIMDPolicy"), **ids})

    def delete(self, ctx: Context, ids: dict[str, str]) -> None:
        call(ctx, "DeleteCIMDPolicy", ids)

    def list(
        self, ctx: Context, model: dict[str, Any], token: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        params = {"UserPoolId": model["UserPoolId"], "NextToken": token, "MaxResults": min(limit, 60)}
        page = call(ctx, "ListCIMDPolicies", params)
        return [_model(p, model["UserPoolId"]) for p in page["CIMDPolicies"]], page.get("NextToken")
