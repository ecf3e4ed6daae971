"""A pool's log delivery: records emitted to the server's log sink as the pool's
LogDeliveryConfiguration asks (operations/log_delivery.py sets it)."""

from __future__ import annotations

from typing import Any

from userpools.delivery import log_sink
from userpools.domain import log_delivery as rules
from userpools.steps.context import Context


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
