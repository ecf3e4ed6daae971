"""Management endpoints under /_userpools (not part of any AWS API): outbox and reset."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from userpools.operations.context import Context


def outbox_entry(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "pool": row["pool_id"],
        "username": row["username"],
        "kind": row["kind"],
        "medium": row["medium"],
        "destination": row["destination"],
        "subject": row["subject"],
        "body": row["body"],
        "code": row["code"],
        "status": row["status"],
        "created": row["created"].isoformat(),
    }


def read_outbox(
    context: Context, pool: str | None, username: str | None, destination: str | None
) -> list[dict[str, Any]]:
    with context.store.transaction(write=False) as tx:
        rows = tx.outbox.list(pool=pool, username=username, destination=destination)
    return [outbox_entry(row) for row in rows]


def routes(context: Context) -> list[Route]:
    async def outbox(request: Request) -> Response:
        q = request.query_params
        rows = await run_in_threadpool(
            read_outbox, context, pool=q.get("pool"), username=q.get("username"), destination=q.get("destination")
        )
        return JSONResponse(rows)

    async def reset(request: Request) -> Response:
        if context.settings.production:
            return JSONResponse({"error": "reset is disabled in production mode"}, status_code=403)
        await run_in_threadpool(context.store.reset)
        return JSONResponse({"status": "reset"})

    return [
        Route("/_userpools/outbox", outbox, methods=["GET"]),
        Route("/_userpools/reset", reset, methods=["POST"]),
    ]
