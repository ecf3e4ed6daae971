"""Log delivery: GetLogDeliveryConfiguration, SetLogDeliveryConfiguration, and the logs themselves.

A pool's configuration is stored as given. Its logs are written, as JSON lines, to the file
USERPOOLS_LOG_SINK names (CloudWatch Logs, S3 and Firehose are not reached): userNotification records for
messages that could not be delivered, userAuthEvents records for sign-ins. Without a sink nothing is
looked up, so logging costs nothing unless asked for.
"""

from __future__ import annotations

from typing import Any

from userpools.delivery import log_sink
from userpools.domain import log_delivery as rules
from userpools.operations.common import load_pool
from userpools.operations.context import Context
from userpools.operations.registry import operation


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


def emit(ctx: Context, pool_id: str, source: str, message: Any) -> None:
    """Append a ``source`` record to the sink, when there is one and the pool exports that source."""
    sink = ctx.settings.log_sink
    if sink is None:
        return
    with ctx.store.transaction(write=False) as tx:
        configurations = tx.log_delivery.get(pool_id)
    for configuration in configurations:
        if configuration["EventSource"] == source:
            log_sink.append(sink, rules.record(configuration, pool_id, ctx.clock.now(), message))
