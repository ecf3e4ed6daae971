"""AWS::Cognito::UserPoolIdentityProvider: Create/Describe/Update/Delete/ListIdentityProviders."""

from __future__ import annotations

from typing import Any

from userpools.cloudcontrol.resources.base import ResourceType, call, pick
from userpools.cloudcontrol.schema import load
from userpools.steps.context import Context

_PROPERTIES = ("UserPoolId", "ProviderName", "ProviderType", "ProviderDetails", "AttributeMapping", "IdpIdentifiers")


def _model(provider: dict[str, Any]) -> dict[str, Any]:
    return {k: provider[k] for k in _PROPERTIES if provider.get(k) is not None}


class UserPoolIdentityProvider(ResourceType):
    schema = load("aws-cognito-userpoolidentityprovider.json")
    operations = (
        "CreateIdentityProvider",
        "DescribeIdentityProvider",
        "UpdateIdentityProvider",
        "DeleteIdentityProvider",
        "ListIdentityProviders",
    )

    def create(self, ctx: Context, model: dict[str, Any]) -> dict[str, str]:
        provider = call(ctx, "CreateIdentityProvider", pick(model, "CreateIdentityProvider"))["IdentityProvider"]
        return {"UserPoolId": provider["UserPoolId"], "ProviderName": provider["ProviderName"]}

    def read(self, ctx: Context, ids: dict[str, str]) -> dict[str, Any]:
        return _model(call(ctx, "DescribeIdentityProvider", ids)["IdentityProvider"])

    def update(self, ctx: Context, ids: dict[str, str], desired: dict[str, Any]) -> None:
        """The whole desired state: a property removed from the template is emptied."""
        params = {
            "AttributeMapping": desired.get("AttributeMapping") or {},
            "IdpIdentifiers": desired.get("IdpIdentifiers") or [],
            **pick(desired, "UpdateIdentityProvider"),
            **ids,
        }
        call(ctx, "UpdateIdentityProvider", params)

    def delete(self, ctx: Context, ids: dict[str, str]) -> None:
        call(ctx, "DeleteIdentityProvider", ids)

    def list(
        self, ctx: Context, model: dict[str, Any], token: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        params = {"UserPoolId": model["UserPoolId"], "NextToken": token, "MaxResults": min(limit, 60)}
        page = call(ctx, "ListIdentityProviders", params)
        found = [
            {"UserPoolId": model["UserPoolId"], "ProviderName": p["ProviderName"], "ProviderType": p["ProviderType"]}
            for p in page["Providers"]
        ]
        return found, page.get("NextToken")
