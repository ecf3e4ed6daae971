"""Quotas: GetProvisionedLimit and UpdateProvisionedLimit, a server-wide rate per API category (as
Cognito's are per account). The rates are stored and reported; requests are not throttled by them."""

from __future__ import annotations

from typing import Any

from userpools.domain import quotas
from userpools.operations.registry import operation
from userpools.steps.context import Context


@operation("GetProvisionedLimit")
def get_provisioned_limit(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    name = quotas.category(params["LimitDefinition"])
    with ctx.store.transaction(write=False) as tx:
        return {"Limit": quotas.limit(name, tx.provisioned_limits.get(name))}


@operation("UpdateProvisionedLimit")
def update_provisioned_limit(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    name = quotas.category(params["LimitDefinition"])
    value = quotas.checked(name, int(params["RequestedLimitValue"]))
    with ctx.store.transaction() as tx:
        tx.provisioned_limits.put(name, value)
    return {"Limit": quotas.limit(name, value)}
