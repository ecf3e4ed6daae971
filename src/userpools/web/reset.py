"""Wiping a server's state: ``POST /_userpools/reset`` and its alias ``POST /moto-api/reset``.

The alias is for suites moving from moto_server, which call that path between tests; it goes through the
same gate (web/gate.py: no cross-site writes, a signature when the server is locked) and answers the same.
With a seed file (``serve --seed``, USERPOOLS_SEED) the seed is loaded again after the wipe: a reset returns
the server to its seeded state.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from userpools import seed
from userpools.clock import MovableClock
from userpools.steps.context import Context
from userpools.web.gate import guarded


def wipe(context: Context) -> None:
    """Delete everything, then load the seed (if any) again; on a thread: it is all database work."""
    context.store.reset()
    if context.settings.seed:
        seed.apply(context, seed.load(context.settings.seed), context.settings.seed)


async def reset(context: Context) -> Response:
    if context.settings.production:
        return JSONResponse({"error": "reset is disabled in production mode"}, status_code=403)
    try:
        await run_in_threadpool(wipe, context)
    except seed.SeedError as error:
        return JSONResponse({"error": f"reset, but the seed could not be loaded again: {error}"}, status_code=500)
    if isinstance(context.clock, MovableClock):
        context.clock.set_offset(0)
    return JSONResponse({"status": "reset"})


def routes(context: Context) -> list[Route]:
    async def moto_reset(request: Request) -> Response:
        return await reset(context)

    return [Route("/moto-api/reset", guarded(context, moto_reset), methods=["POST"])]
