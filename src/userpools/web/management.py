"""Management endpoints under /_userpools (not part of any AWS API): outbox, reset and the clock.

Every route goes through web/gate.py (cross-site refusal, SigV4 when the server is locked)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from userpools.clock import MovableClock
from userpools.domain import sealing
from userpools.operations.context import Context
from userpools.web.gate import management_route


def outbox_entry(context: Context, row: dict[str, Any]) -> dict[str, Any]:
    """A message as the outbox shows it: body and code unsealed, or null when they were not kept."""
    body, code = row["body"], row["code"]
    return {
        "id": row["id"],
        "pool": row["pool_id"],
        "username": row["username"],
        "kind": row["kind"],
        "medium": row["medium"],
        "destination": row["destination"],
        "subject": row["subject"],
        "body": sealing.unseal(context.keyring, "outbox-body", body) if body else None,
        "code": sealing.unseal(context.keyring, "outbox-code", code) if code else None,
        "status": row["status"],
        "created": row["created"].isoformat(),
    }


def read_outbox(
    context: Context, pool: str | None, username: str | None, destination: str | None
) -> list[dict[str, Any]]:
    keep = context.settings.outbox_keeps_for
    since = context.clock.now() - timedelta(seconds=keep) if keep else None
    with context.store.transaction(write=False) as tx:
        rows = tx.outbox.list(pool=pool, username=username, destination=destination, since=since)
    return [outbox_entry(context, row) for row in rows]


def routes(context: Context) -> list[Route]:
    async def outbox(request: Request) -> Response:
        q = request.query_params
        rows = await run_in_threadpool(
            read_outbox, context, pool=q.get("pool"), username=q.get("username"), destination=q.get("destination")
        )
        return JSONResponse(rows)

    async def reset(request: Request) -> Response:
        from userpools.web import reset as wiping  # shared with the /moto-api/reset alias

        return await wiping.reset(context)

    async def clock(request: Request) -> Response:
        """GET: the server's time and offset. POST ``{"advance": seconds}`` or ``{"offset": seconds}``: move it."""
        moving = context.clock
        if request.method == "POST":
            if context.settings.production:
                return JSONResponse({"error": "the clock cannot be moved in production mode"}, status_code=403)
            if not isinstance(moving, MovableClock):
                return JSONResponse({"error": "this server's clock cannot be moved"}, status_code=409)
            try:
                change = await request.json()
            except ValueError:
                change = None
            if not isinstance(change, dict) or not change.keys() <= {"advance", "offset"} or not change:
                return JSONResponse({"error": 'send {"advance": seconds} or {"offset": seconds}'}, status_code=400)
            values = list(change.values())
            if not all(isinstance(v, int | float) and not isinstance(v, bool) and abs(v) < 1e9 for v in values):
                return JSONResponse({"error": "seconds must be a number of magnitude under 1e9"}, status_code=400)
            if "offset" in change:
                moving.set_offset(float(change["offset"]))
            if "advance" in change:
                moving.move(float(change["advance"]))
        offset = moving.offset.total_seconds() if isinstance(moving, MovableClock) else 0.0
        return JSONResponse({"now": context.clock.now().isoformat(), "offset": offset})

    return [
        management_route(context, "/_userpools/clock", clock, methods=["GET", "POST"]),
        management_route(context, "/_userpools/outbox", outbox, methods=["GET"]),
        management_route(context, "/_userpools/reset", reset, methods=["POST"]),
    ]
