"""Management endpoints under /_userpools (not part of any AWS API): outbox, reset and the clock.

Every route goes through web/gate.py (cross-site refusal, SigV4 when the server is locked)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from userpools.clock import MovableClock
from userpools.steps.context import Context
from userpools.web import outbox as outbox_view
from userpools.web.gate import management_route


def routes(context: Context) -> list[Route]:
    async def outbox(request: Request) -> Response:
        query = request.query_params
        try:
            filters = outbox_view.parse(query, list(query.keys()))
        except outbox_view.FilterError as error:
            return JSONResponse({"error": str(error), "code": "UnknownFilter"}, status_code=400)
        return JSONResponse(await run_in_threadpool(outbox_view.read, context, filters))

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
