"""Threat protection settings: DescribeRiskConfiguration, SetRiskConfiguration, per pool or per app client.

A client's configuration, once set, replaces the pool's for that client's requests; DescribeRiskConfiguration
of a client without one shows the pool's, with ClientId ``ALL``. Each Set replaces the whole configuration.
A client's Set with none of the three configurations removes the client's own, so that it falls back to the
pool's (Cognito does not say how a client's configuration is removed; this is the choice made here).
"""

from __future__ import annotations

from typing import Any

from userpools.domain import risk
from userpools.operations.clients import load_client
from userpools.operations.registry import operation
from userpools.steps.common import load_pool
from userpools.steps.context import Context

POOL = "ALL"


def _shown(pool_id: str, client_id: str, config: dict[str, Any], modified: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"UserPoolId": pool_id, **config}
    if client_id != POOL or modified is not None:
        out["ClientId"] = client_id
    if modified is not None:
        out["LastModifiedDate"] = modified
    return {"RiskConfiguration": out}


@operation("DescribeRiskConfiguration")
def describe_risk_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        client_id = params.get("ClientId")
        if client_id:
            load_client(ctx, tx, client_id, pool.id)
            found = tx.risk_configs.get(pool.id, client_id)
            if found is not None:
                return _shown(pool.id, client_id, *found)
        found = tx.risk_configs.get(pool.id, POOL)
    if found is None:
        return {"RiskConfiguration": {"UserPoolId": pool.id, **({"ClientId": client_id} if client_id else {})}}
    return _shown(pool.id, POOL, *found)


@operation("SetRiskConfiguration")
def set_risk_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    config = risk.check(params)
    now = ctx.clock.now()
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        client_id = params.get("ClientId") or POOL
        if client_id != POOL:
            load_client(ctx, tx, client_id, pool.id)
        if client_id != POOL and not config:
            tx.risk_configs.remove(pool.id, client_id)
        else:
            tx.risk_configs.put(pool.id, client_id, config, now)
    return _shown(pool.id, client_id, config, now)
