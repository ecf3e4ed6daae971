"""AWS::Cognito::UserPool: CreateUserPool / DescribeUserPool / UpdateUserPool (+ AddCustomAttributes) /
DeleteUserPool / ListUserPools. Same-named properties pass straight through to the Cognito operations."""

from __future__ import annotations

import uuid
from typing import Any

from userpools.cloudcontrol.resources.base import HandlerError, ResourceType, call, members, pick
from userpools.cloudcontrol.schema import load
from userpools.steps.context import Context

_CUSTOM = "custom:"


def _check_mfas(model: dict[str, Any]) -> None:
    unknown = set(model.get("EnabledMfas") or []) - {"SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"}
    if unknown:
        raise HandlerError(
            "InvalidRequest", f"EnabledMfas may hold SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP: not {sorted(unknown)}"
        )


def _set_mfa(ctx: Context, pool_id: str, model: dict[str, Any]) -> None:
    """EnabledMfas (write-only) as SetUserPoolMfaConfig sees them: SMS_MFA with the pool's SMS settings,
    SOFTWARE_TOKEN_MFA, EMAIL_OTP with EmailAuthenticationMessage / EmailAuthenticationSubject."""
    if "EnabledMfas" not in model:
        return
    enabled = set(model.get("EnabledMfas") or [])
    params: dict[str, Any] = {"UserPoolId": pool_id, "MfaConfiguration": model.get("MfaConfiguration") or "OFF"}
    if "SMS_MFA" in enabled:
        sms = {
            "SmsAuthenticationMessage": model.get("SmsAuthenticationMessage"),
            "SmsConfiguration": model.get("SmsConfiguration"),
        }
        params["SmsMfaConfiguration"] = {k: v for k, v in sms.items() if v is not None}
    if "SOFTWARE_TOKEN_MFA" in enabled:
        params["SoftwareTokenMfaConfiguration"] = {"Enabled": True}
    if "EMAIL_OTP" in enabled:
        email = {"Message": model.get("EmailAuthenticationMessage"), "Subject": model.get("EmailAuthenticationSubject")}
        params["EmailMfaConfiguration"] = {k: v for k, v in email.items() if v is not None}
    call(ctx, "SetUserPoolMfaConfig", params)


class UserPool(ResourceType):
    schema = load("aws-cognito-userpool.json")
    operations = (
        "CreateUserPool",
        "DescribeUserPool",
        "UpdateUserPool",
        "DeleteUserPool",
        "ListUserPools",
        "AddCustomAttributes",
        "SetUserPoolMfaConfig",
    )

    def create(self, ctx: Context, model: dict[str, Any]) -> dict[str, str]:
        params = pick(model, "CreateUserPool")
        params["PoolName"] = model.get("UserPoolName") or f"userpool-{uuid.uuid4().hex[:12]}"
        if "EnabledMfas" in model:  # the factors are set by SetUserPoolMfaConfig once the pool exists
            params.pop("MfaConfiguration", None)
        _check_mfas(model)
        pool = call(ctx, "CreateUserPool", params)["UserPool"]
        try:
            _set_mfa(ctx, pool["Id"], model)
        except HandlerError:  # nothing half-made: the pool goes with its refused MFA settings
            call(ctx, "DeleteUserPool", {"UserPoolId": pool["Id"]})
            raise
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
        if "EnabledMfas" in desired:
            params.pop("MfaConfiguration", None)
        _check_mfas(desired)
        call(ctx, "UpdateUserPool", {**params, **ids})
        _set_mfa(ctx, ids["UserPoolId"], desired)
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
