"""The one gate every management route (/_userpools/*) goes through: :func:`management_route`.

- Cross-site requests that change state are refused in every mode: a POST (or any method but GET/HEAD)
  whose ``Sec-Fetch-Site`` is neither ``same-origin`` nor ``none``, or whose ``Origin`` is not the
  server's own, answers 403. So a web page a developer visits cannot reset a local server.
- When the server is locked (production mode, or USERPOOLS_CREDENTIALS set), every request needs a
  SigV4 signature by one of the configured keys, scoped to the service name ``userpools`` (botocore:
  ``SigV4Auth(credentials, "userpools", region)``; :mod:`userpools.signing` signs for the CLI) with
  ``host`` signed; otherwise 403 ``{"error": ..., "code": ...}``.
- A local-development server bound to loopback answers only requests whose Host is one of its names
  (web/hosts.py: DNS rebinding); otherwise 403 ``HostNotAllowed``.
- CORS never applies here (app.py keeps CORSMiddleware off these paths): no other origin reads them.

A new management route is ``management_route(context, "/_userpools/thing", endpoint, methods=[...])``.
A route given a ``session`` hook (only the console's, web/console) lets the hook decide in place of the
signature when the server is locked: it answers None for a signed-in console session, or the response to
send instead (a redirect to the console's sign-in page). Every other route still needs a signature.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from userpools.errors import ServiceError
from userpools.protocol import sigv4
from userpools.steps.context import Context
from userpools.web import hosts

SERVICE = "userpools"  # the service name management signatures are scoped to
_SCOPE = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=[^/]+/\d{8}/[^/]+/(?P<service>[^/]+)/aws4_request,\s*"
    r"SignedHeaders=(?P<headers>[^,]+),"
)
_SAFE = frozenset({"GET", "HEAD"})

Endpoint = Callable[[Request], Awaitable[Response]]
# A locked route's alternative to a signature: None lets the request through, a Response refuses it.
SessionHook = Callable[[Request], Awaitable[Response | None]]


def refused(message: str, code: str) -> Response:
    return JSONResponse({"error": message, "code": code}, status_code=403)


def _own_origins(request: Request, context: Context) -> set[str]:
    host = request.headers.get("host", "")
    public = urlsplit(context.settings.base_url)
    return {f"{request.url.scheme}://{host}", f"{public.scheme}://{public.netloc}"}


def cross_site(request: Request, context: Context) -> str | None:
    """Why this state-changing request looks cross-site, or None."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return f"Sec-Fetch-Site is {fetch_site}"
    origin = request.headers.get("origin")
    if origin is not None and origin not in _own_origins(request, context):
        return f"Origin {origin} is not this server's"
    return None


async def signature_problem(request: Request, context: Context) -> str | None:
    """Why this request's signature is not accepted, or None when a configured key signed it."""
    authorization = request.headers.get("authorization", "")
    scope = _SCOPE.match(authorization)
    if sigv4.is_presigned(str(request.url)):
        pass  # a presigned URL (service 'userpools', host signed): sigv4.verify names what is wrong with it
    elif not authorization:
        return "management endpoints need a SigV4 signature (service 'userpools') by a configured key"
    elif scope is None:
        return "the Authorization header is not a valid AWS Signature Version 4 header"
    elif scope["service"] != SERVICE:
        return f"sign management requests for the service '{SERVICE}', not '{scope['service']}'"
    elif "host" not in scope["headers"].split(";"):
        return "the host header must be signed"
    try:
        sigv4.verify(
            method=request.method,
            url=str(request.url),
            headers=request.headers,
            body=await request.body(),
            keys=context.settings.credentials,
            now=context.clock.now(),
            region=context.settings.region,
            service=SERVICE,
            target=False,
        )
    except ServiceError as error:
        return error.message
    return None


def guarded(context: Context, endpoint: Endpoint, session: SessionHook | None = None) -> Endpoint:
    async def gate(request: Request) -> Response:
        if hosts.checks_hosts(context):
            wrong_host = await hosts.host_problem(request, context)
            if wrong_host is not None:
                return refused(wrong_host, "HostNotAllowed")
        if request.method not in _SAFE:
            reason = cross_site(request, context)
            if reason is not None:
                return refused(f"cross-site request refused: {reason}", "CrossSiteRequestRefused")
        if context.settings.locked and session is not None:
            refusal = await session(request)
            return refusal if refusal is not None else await endpoint(request)
        if context.settings.locked:
            if not context.settings.credentials:
                return refused(
                    "management endpoints are off in production mode without USERPOOLS_CREDENTIALS", "ManagementOff"
                )
            problem = await signature_problem(request, context)
            if problem is not None:
                return refused(problem, "SignatureRequired")
        return await endpoint(request)

    return gate


def management_route(
    context: Context, path: str, endpoint: Endpoint, *, methods: list[str], session: SessionHook | None = None
) -> Route:
    """A /_userpools route behind the gate (``session``: see the module's docstring)."""
    assert path.startswith("/_userpools/"), path
    return Route(path, guarded(context, endpoint, session), methods=methods)
