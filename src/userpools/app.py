"""The HTTP application: every protocol on one port (DESIGN.md, "Shape")."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Address, Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from userpools import access, masterkey, regions
from userpools.clock import Clock, MovableClock
from userpools.cloudcontrol.handlers import cloudcontrol_service
from userpools.delivery import Senders
from userpools.domain import identifiers
from userpools.domain.errors import TooManyRequestsException
from userpools.errors import ServiceError
from userpools.operations import COGNITO, QUICK_READS, QUICK_WRITES
from userpools.protocol import sigv4, validate
from userpools.protocol.dispatch import Call, Service, error_body, internal_error_body
from userpools.protocol.errors import UnknownOperationException
from userpools.protocol.model import requires_iam, service_model
from userpools.ratelimit import RateLimiter
from userpools.settings import Settings
from userpools.slots import Workers
from userpools.steps import import_runner, pagination
from userpools.steps.context import Context, NeedsThread
from userpools.storage.engine import Batch, Store, WriterBusy
from userpools.triggers import TriggerRouter
from userpools.web import console, management, oauth, reset, sts, uploads, wellknown

log = logging.getLogger("userpools")

# Turns of the event loop a batch of writes may wait, while it grows, before its commit. A turn reads the
# sockets that became ready meanwhile: with 16 connections creating users, batches grew from ~7 to ~13
# writes and a create's CPU fell by ~20% (bench/README.md); a lone write waits one turn, microseconds.
_GATHER_ROUNDS = 2


def cognito_service() -> Service:
    from userpools.domain.errors import InvalidParameterException
    from userpools.domain.oauth import DOMAIN_PATTERN

    validate.PATTERN_OVERRIDES["DomainType"] = DOMAIN_PATTERN  # custom domains have dots
    service = Service(service_model("cognito-idp"), validation_error=InvalidParameterException)
    for name, handler in COGNITO.items():
        service.register(name, handler)
    return service


def dumps(body: dict[str, Any]) -> bytes:
    try:
        return orjson.dumps(body)
    except TypeError:  # something orjson does not know; the standard library's rendering, as before
        return json.dumps(body).encode()


class Gateway:
    """Routes POST / to the service whose target prefix the X-Amz-Target header names.

    Handlers are synchronous and run on threads (userpools.slots.Workers: as many as database connections,
    and one more for each waiting on a trigger or a mail server, up to Settings.handler_threads), handed over
    with asyncio's executor (cheaper than anyio's limiter).

    On SQLite the event loop runs some itself, sparing the hand-off. QUICK_READS: reads never wait for a lock
    in WAL mode. QUICK_WRITES: writes are short, one at a time, and never wait on the network; they write
    through Context.writing, in a savepoint of a storage.engine.Batch, one commit for all those ready together
    (one that finds another process writing waits for the next batch, opened on a thread). A request that
    needs a trigger or sends a message calls Context.reaching_out before it does, which raises NeedsThread
    there, and it runs again on a thread. Anything on the loop that would wait for the database (a
    Store.transaction that writes, any on PostgreSQL) raises storage.errors.OnEventLoop at once instead.
    (What a hand-off costs a create: bench/README.md.)
    """

    def __init__(self, services: list[Service], context: Context, threads: int = 32) -> None:
        self.services = {s.target_prefix: s for s in services}
        self.default = services[0]
        self.context = context
        self.executor = Workers(context.settings.db_pool_size, threads)  # userpools.slots
        self.inline = context.store.sqlite  # QUICK_READS and QUICK_WRITES on the event loop (see above)
        self.by_address = RateLimiter(context.settings.rate_limit_address)
        self.by_pool = RateLimiter(context.settings.rate_limit_pool)
        self._batch: tuple[Batch, asyncio.Future[bool]] | None = None  # see _batched
        self._opening: asyncio.Future[Batch] | None = None  # a thread waiting for another process's write
        self._joining = 0  # requests waiting for self._opening
        self._written = 0  # requests that have run in the open batch

    async def _batched(self, service: Service, call: Call, context: Context) -> dict[str, Any] | None:
        """Run a QUICK_WRITES request on the event loop, in the open batch or the next one, and answer once
        its batch is committed; None: run it on a thread (it needs one, or the batch failed, and then nothing
        it wrote was kept)."""
        while self._batch is None:
            if self._opening is None:
                try:
                    self._open(self.context.store.batch(wait=False))
                    break
                except WriterBusy:  # another process is writing: wait for it on a thread, not on the loop
                    loop = asyncio.get_running_loop()
                    self._opening = loop.run_in_executor(self.executor, self.context.store.batch)
                    self._opening.add_done_callback(self._opened)
            opening = self._opening
            self._joining += 1
            try:
                await asyncio.shield(opening)  # never cancelled: the batch it opens must be committed
            except Exception:
                return None
            finally:
                self._joining -= 1
            self._opened(opening)  # the first to resume opens it (or _opened, called back, did)
        assert self._batch is not None
        batch, committed = self._batch
        self._written += 1
        failure: Exception | None = None
        try:
            result = service.invoke(call, context.in_batch(batch))
        except NeedsThread:
            return None
        except Exception as error:  # e.g. UsernameExists because of a write of this batch: not before its commit
            failure = error
        if not await asyncio.shield(committed):
            return None
        if failure is not None:
            raise failure
        return result

    def _open(self, batch: Batch) -> None:
        """Make ``batch`` the open one, committed once the requests ready to run now have written in it
        and it has stopped growing (see _commit)."""
        loop = asyncio.get_running_loop()
        self._batch = batch, loop.create_future()
        self._written = 0
        loop.call_soon(self._commit, _GATHER_ROUNDS, 0)

    def _opened(self, opening: asyncio.Future[Batch]) -> None:
        """Make the batch a thread opened the open one, once: its waiters may resume before this callback
        runs, or never (cancelled)."""
        if self._opening is not opening:
            return
        self._opening = None
        if opening.cancelled() or opening.exception() is not None:
            log.error("Could not begin a batch of writes: %r", None if opening.cancelled() else opening.exception())
            return
        self._open(opening.result())

    def _commit(self, rounds: int, seen: int) -> None:
        """Commit the open batch, unless it grew since the last call (``seen`` writes then) and ``rounds``
        remain: then one more turn of the loop first, for the requests that have just arrived to join it."""
        if self._joining:  # requests that waited for this batch to open have yet to resume and write in it
            asyncio.get_running_loop().call_soon(self._commit, rounds, seen)
            return
        if rounds and self._written > seen:
            asyncio.get_running_loop().call_soon(self._commit, rounds - 1, self._written)
            return
        assert self._batch is not None
        (batch, committed), self._batch = self._batch, None
        try:
            batch.commit()
        except ServiceError as error:  # a write refused only once it had written (Batch.savepoint): no fault
            log.info("A batch of writes was undone by a %s; running them again one by one.", error.code)
            committed.set_result(False)
        except Exception:
            log.exception("A batch of writes could not be committed; running them again one by one.")
            committed.set_result(False)
        else:
            committed.set_result(True)

    def _respond(
        self, service: Service, status: int, body: dict[str, Any], request_id: str
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        headers = [(b"content-type", service.content_type.encode()), (b"x-amzn-requestid", request_id.encode())]
        if status >= 400:
            headers.append((b"x-amzn-errortype", str(body.get("__type", "")).encode()))
        return status, dumps(body), headers

    def _authenticate(self, service: Service, target: str | None, body: bytes, facts: dict[str, Any]) -> None:
        """Check the signature of an IAM-authorized operation (or of a target naming none) before its body is
        parsed: unsigned callers learn nothing of validation, and cannot make the server parse what they
        send. Asked only when credentials are configured (without them any caller is accepted)."""
        settings = self.context.settings
        try:
            if not requires_iam(service.operation(target)):
                return
        except UnknownOperationException:
            pass
        sigv4.verify(
            method="POST",
            url=facts["url"],
            headers=facts["headers"],
            body=body,
            keys=settings.credentials,
            now=self.context.clock.now(),
            region=_signed_region(settings, facts["headers"], facts["url"]),
            service=service.model.signing_name,
        )

    async def answer(
        self, target: str | None, body: bytes, facts: dict[str, Any]
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        request_id = identifiers.new_uuid()
        service = self.services.get((target or "").partition(".")[0], self.default)
        try:
            client = facts["client"]
            if client is not None and self.by_address.on and not self.by_address.allow(client.host):
                raise TooManyRequestsException("Rate exceeded")
            if self.context.settings.credentials:
                self._authenticate(service, target, body, facts)
            call = service.parse(target, body, built=True)
            pool = call.params.get("UserPoolId") or call.params.get("ClientId")
            if isinstance(call.params.get("UserPoolId"), str):
                access.note(pool=call.params["UserPoolId"])
            if self.by_pool.on and isinstance(pool, str) and not self.by_pool.allow(pool):
                raise TooManyRequestsException("Rate exceeded")
            context = self.context.serving(facts)
            result = None
            if self.inline and call.name in QUICK_READS:
                result = service.invoke(call, context)
            elif self.inline and call.name in QUICK_WRITES:
                result = await self._batched(service, call, context)
            if result is None:
                loop = asyncio.get_running_loop()
                result = await loop.run_in_executor(self.executor, service.invoke, call, context)
            return self._respond(service, 200, result, request_id)
        except ServiceError as error:
            status, payload = error_body(error)
            return self._respond(service, status, payload, request_id)
        except Exception as exc:
            status, payload = internal_error_body(exc)
            return self._respond(service, status, payload, request_id)

    async def handle(self, request: Request) -> Response:
        if sts.is_query_request(request):  # AWS query protocol: only STS GetCallerIdentity is served
            return await sts.handle(request, self.context)
        status, body, headers = await self.answer(
            request.headers.get("x-amz-target"),
            await request.body(),
            {"headers": request.headers, "client": request.client, "url": str(request.url)},
        )
        response = Response(body, status_code=status)
        response.raw_headers = [h for h in response.raw_headers if h[0] != b"content-type"] + headers
        return response


class FastPath:
    """``POST /`` with an ``X-Amz-Target`` and no ``Origin`` header (what SDKs and the CLI send) goes straight
    to the gateway; everything else (browsers needing CORS, STS query requests, GETs, management) through
    the Starlette app."""

    def __init__(self, app: ASGIApp, gateway: Gateway) -> None:
        self.app = app
        self.gateway = gateway

    def __getattr__(self, name: str) -> Any:  # app.state, app.routes, ... as on the Starlette app
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != "/":
            await self.app(scope, receive, send)
            return
        target = None
        for name, value in scope["headers"]:
            if name == b"origin":
                await self.app(scope, receive, send)
                return
            if name == b"x-amz-target":
                target = value.decode("latin-1")
        if target is None:
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":  # gone (or refused by connections.py) before its body ended
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        client = scope.get("client")
        headers = Headers(scope=scope)
        url = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}{scope.get('root_path', '')}/"
        if scope.get("query_string"):  # a presigned request's signature (protocol/sigv4.py)
            url += "?" + scope["query_string"].decode("latin-1")
        facts = {"headers": headers, "client": Address(*client) if client else None, "url": url}
        status, body, reply = await self.gateway.answer(target, b"".join(chunks), facts)
        reply.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": reply})
        await send({"type": "http.response.body", "body": body})


class AwsCors(CORSMiddleware):
    """CORS for the AWS APIs and well-known documents (browsers and Amplify call them from any origin), never
    for the management routes: no other origin may read the outbox (web/gate.py)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(("/_userpools/", "/moto-api/")):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _signed_region(settings: Settings, headers: Any, url: str) -> str:
    """The region a signed request's scope must name: the one it names if this server serves it."""
    named = regions.of_headers(headers, url)
    return named if named is not None and named in settings.regions else settings.region


async def _not_found(request: Request) -> Response:
    if sts.is_query_request(request):  # a presigned GET of STS GetCallerIdentity
        return await sts.handle(request, request.app.state.context)
    error = UnknownOperationException("Send AWS JSON requests as POST / with an X-Amz-Target header.")
    return JSONResponse(error.body(), status_code=404)


def create_app(settings: Settings, *, store: Store | None = None, clock: Clock | None = None) -> ASGIApp:
    store = store or Store(
        settings.database_url,
        pool_size=settings.db_pool_size,
        pool_overflow=settings.db_pool_overflow,
        statement_timeout_ms=settings.statement_timeout_ms,
    )
    context = Context(
        store,
        settings,
        clock or MovableClock(),
        triggers=TriggerRouter.from_env(settings.env),
        senders=Senders.from_env(settings.env),
        keyring=masterkey.load(settings),
    )
    store.clock = context.clock  # storage/history.py stamps changes with the server's own time
    gateway = Gateway([cognito_service(), cloudcontrol_service()], context, threads=settings.handler_threads)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(store.migrate, context.keyring)
        await run_in_threadpool(masterkey.check_database, store, context.keyring, context.clock.now())
        await run_in_threadpool(pagination.load_key, context)  # before any request may need it on the loop
        if gateway.inline:
            store.keep_reader()  # this thread (the event loop's) runs the QUICK_READS
        if not settings.credentials:
            log.warning("USERPOOLS_CREDENTIALS is not set: accepting any caller (local development mode).")
        imports = import_runner.Runner(context).start()  # user import jobs, leased from the database
        yield
        imports.stop()
        gateway.executor.shutdown(wait=False)
        store.close()

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    routes = [
        Route("/", gateway.handle, methods=["POST"]),
        Route("/", _not_found, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        *management.routes(context),
        *reset.routes(context),
        *uploads.routes(context),
        *wellknown.routes(context),
        *oauth.routes(context),
        *console.routes(context),
    ]
    middleware = [
        Middleware(
            AwsCors,
            allow_origins=["*"],
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["x-amzn-RequestId", "x-amzn-ErrorType", "x-amz-date"],
            max_age=600,
        )
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.context = context
    if not access.log.isEnabledFor(logging.INFO):  # no access log: not even a middleware that steps aside
        return FastPath(app, gateway)
    return access.AccessLog(FastPath(app, gateway))
