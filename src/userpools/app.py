"""The HTTP application: every protocol on one port (DESIGN.md, "Shape")."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from userpools import management, sts, wellknown
from userpools.clock import Clock, SystemClock
from userpools.cloudcontrol.handlers import cloudcontrol_service
from userpools.delivery import Senders
from userpools.errors import ServiceError
from userpools.operations import COGNITO
from userpools.operations.context import Context
from userpools.protocol import sigv4
from userpools.protocol.dispatch import Service, error_body, internal_error_body
from userpools.protocol.errors import UnknownOperationException
from userpools.protocol.model import service_model
from userpools.settings import Settings
from userpools.storage.engine import Store
from userpools.triggers import TriggerRouter

log = logging.getLogger("userpools")


def cognito_service() -> Service:
    from userpools.domain.errors import InvalidParameterException

    service = Service(service_model("cognito-idp"), validation_error=InvalidParameterException)
    for name, handler in COGNITO.items():
        service.register(name, handler)
    return service


class Gateway:
    """Routes POST / to the service whose target prefix the X-Amz-Target header names."""

    def __init__(self, services: list[Service], context: Context) -> None:
        self.services = {s.target_prefix: s for s in services}
        self.default = services[0]
        self.context = context

    def _respond(self, service: Service, status: int, body: dict[str, Any], request_id: str) -> Response:
        headers = {"x-amzn-RequestId": request_id}
        if status >= 400:
            headers["x-amzn-ErrorType"] = str(body.get("__type", ""))
        return Response(json.dumps(body), status_code=status, media_type=service.content_type, headers=headers)

    async def handle(self, request: Request) -> Response:
        if sts.is_query_request(request):  # AWS query protocol: only STS GetCallerIdentity is served
            return await sts.handle(request, self.context)
        request_id = str(uuid.uuid4())
        target = request.headers.get("x-amz-target")
        service = self.services.get((target or "").partition(".")[0], self.default)
        body = await request.body()
        try:
            call = service.parse(target, body)
            if call.requires_iam and self.context.settings.credentials:
                sigv4.verify(method=request.method, url=str(request.url), headers=request.headers, body=body,
                             keys=self.context.settings.credentials, now=self.context.clock.now())
            context = replace(self.context, request={"headers": request.headers, "client": request.client})
            result = await run_in_threadpool(service.invoke, call, context)
            return self._respond(service, 200, result, request_id)
        except ServiceError as error:
            status, payload = error_body(error)
            return self._respond(service, status, payload, request_id)
        except Exception as exc:
            status, payload = internal_error_body(exc)
            return self._respond(service, status, payload, request_id)


async def _not_found(request: Request) -> Response:
    error = UnknownOperationException("Send AWS JSON requests as POST / with an X-Amz-Target header.")
    return JSONResponse(error.body(), status_code=404)


def create_app(settings: Settings, *, store: Store | None = None, clock: Clock | None = None) -> Starlette:
    store = store or Store(settings.database_url)
    context = Context(
        store,
        settings,
        clock or SystemClock(),
        triggers=TriggerRouter.from_env(settings.env),
        senders=Senders.from_env(settings.env),
    )
    gateway = Gateway([cognito_service(), cloudcontrol_service()], context)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(store.migrate)
        if not settings.credentials:
            log.warning("USERPOOLS_CREDENTIALS is not set: accepting any caller (local development mode).")
        yield
        store.close()

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    routes = [
        Route("/", gateway.handle, methods=["POST"]),
        Route("/", _not_found, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        *management.routes(context),
        *wellknown.routes(context),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["x-amzn-RequestId", "x-amzn-ErrorType", "x-amz-date"],
            max_age=600,
        )
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.context = context
    return app
