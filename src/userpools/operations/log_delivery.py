"""Log delivery: GetLogDeliveryConfiguration, SetLogDeliveryConfiguration, and the logs themselves.

A pool's configuration is stored as given. Its logs are written, as JSON lines, to the file
USERPOOLS_LOG_SINK names (CloudWatch Logs, S3 and Firehose are not reached): userNotification records for
messages that could not be delivered, userAuthEvents records for sign-ins. Without a sink nothing is
looked up, so logging costs nothing unless asked for.
"""

from __future__ import annotations

from typing import Any

from userpools.domain import log_delivery as rules
from userpools.operations.registry import operation
from userpools.steps.common import load_pool
from userpools.steps.context import Context


def _described(pool_id: str, configurations: list[dict[str, Any]]) -> dict[str, Any]:
    return {"LogDeliveryConfiguration": {"UserPoolId": pool_id, "LogConfigurations": configurations}}


@operation("GetLogDeliveryConfiguration")
def get_log_delivery_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        return _described(pool.id, tx.log_delivery.get(pool.id))


@operation("SetLogDeliveryConfiguration")
def set_log_delivery_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        tier = str(pool.config.get("UserPoolTier") or "ESSENTIALS")
        configurations = rules.check(list(params["LogConfigurations"]), tier)
        tx.log_delivery.put(pool.id, configurations)
    return _described(pool.id, configurations)
