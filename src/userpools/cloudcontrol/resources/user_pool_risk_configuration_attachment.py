"""AWS::Cognito::UserPoolRiskConfigurationAttachment: SetRiskConfiguration, read through
DescribeRiskConfiguration. Identifier ``<UserPoolId>|<ClientId>``, ClientId ``ALL`` for the pool's own
configuration; no list handler (CloudFormation's schema has none).

Cognito's handler behaviour where its documentation is silent, chosen here: create refuses (AlreadyExists) a
pool or client that already has a configuration of its own; delete sets an empty configuration, after which
a client's requests fall back to the pool's and read answers NotFound."""

from __future__ import annotations

from typing import Any

from userpools.cloudcontrol.resources.base import HandlerError, ResourceType, call
from userpools.cloudcontrol.schema import load
from userpools.steps.context import Context

POOL = "ALL"
PARTS = ("RiskExceptionConfiguration", "CompromisedCredentialsRiskConfiguration", "AccountTakeoverRiskConfiguration")


def _own(ctx: Context, ids: dict[str, str]) -> dict[str, Any] | None:
    """The configuration the pool or client has of its own (not one inherited from the pool), if any."""
    params = {"UserPoolId": ids["UserPoolId"]}
    if ids["ClientId"] != POOL:
        params["ClientId"] = ids["ClientId"]
    found = call(ctx, "DescribeRiskConfiguration", params)["RiskConfiguration"]
    if found.get("ClientId", POOL) != ids["ClientId"] and ids["ClientId"] != POOL:
        return None  # the pool's, shown for a client without one
    parts = {k: found[k] for k in PARTS if found.get(k)}
    return parts or None


def _set(ctx: Context, ids: dict[str, str], model: dict[str, Any]) -> None:
    params: dict[str, Any] = {"UserPoolId": ids["UserPoolId"], **{k: model[k] for k in PARTS if k in model}}
    if ids["ClientId"] != POOL:
        params["ClientId"] = ids["ClientId"]
    call(ctx, "SetRiskConfiguration", params)


class UserPoolRiskConfigurationAttachment(ResourceType):
    schema = load("aws-cognito-userpoolriskconfigurationattachment.json")
    operations = ("SetRiskConfiguration", "DescribeRiskConfiguration")

    def create(self, ctx: Context, model: dict[str, Any]) -> dict[str, str]:
        ids = {"UserPoolId": model["UserPoolId"], "ClientId": model["ClientId"]}
        if _own(ctx, ids) is not None:
            raise HandlerError("AlreadyExists", f"A risk configuration already exists for {ids['ClientId']}.")
        _set(ctx, ids, model)
        return ids

    def read(self, ctx: Context, ids: dict[str, str]) -> dict[str, Any]:
        parts = _own(ctx, ids)
        if parts is None:
            raise HandlerError("NotFound", f"No risk configuration is attached to {ids['ClientId']}.")
        return {**ids, **parts}

    def update(self, ctx: Context, ids: dict[str, str], desired: dict[str, Any]) -> None:
        self.read(ctx, ids)
        _set(ctx, ids, desired)

    def delete(self, ctx: Context, ids: dict[str, str]) -> None:
        self.read(ctx, ids)
        _set(ctx, ids, {})
