"""OAuth 2.0 and OpenID Connect endpoints of a pool's domain (RFC 6749, RFC 7636, RFC 7009, OIDC Core):
/oauth2/authorize, /oauth2/token, /oauth2/userInfo, /oauth2/revoke, /logout, next to the managed login
pages (web/login). Each domain answers at its own origin and under ``/_domain/<domain>/`` (site.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route, Router
from starlette.types import Receive, Scope, Send

from userpools.steps.context import Context
from userpools.web import login
from userpools.web.login import render
from userpools.web.oauth import authorize, idpresponse, logout, revoke, saml, token, userinfo
from userpools.web.oauth.site import PATH_PREFIX, PATHS, Site, domain_of_host, site_of

Endpoint = Callable[[Context, Site, Request], Awaitable[Response]]


def _on_site(context: Context, endpoint: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    async def handle(request: Request) -> Response:
        site = await run_in_threadpool(site_of, context, request)
        if site is None:
            return render.not_found()
        return await endpoint(context, site, request)

    return handle


def _threaded(function: Callable[[Context, Site, Request], Response]) -> Endpoint:
    async def run(context: Context, site: Site, request: Request) -> Response:
        return await run_in_threadpool(function, context, site, request)

    return run


def domain_routes(context: Context) -> list[BaseRoute]:
    endpoints: list[tuple[str, Endpoint, list[str]]] = [
        ("/oauth2/authorize", _threaded(authorize.authorize), ["GET"]),
        ("/oauth2/token", token.token, ["POST"]),
        ("/oauth2/userInfo", userinfo.userinfo, ["GET", "POST"]),
        ("/oauth2/revoke", revoke.revoke, ["POST"]),
        ("/oauth2/idpresponse", idpresponse.idpresponse, ["GET", "POST"]),
        ("/saml2/idpresponse", saml.idpresponse, ["POST"]),
        ("/saml2/logout", saml.logout, ["POST"]),
        ("/logout", _threaded(logout.logout), ["GET"]),
        *login.pages(),
    ]
    return [Route(path, _on_site(context, endpoint), methods=methods) for path, endpoint, methods in endpoints]


class DomainHost(BaseRoute):
    """A request to a domain's own origin (its Host names the domain) for one of the paths domains serve."""

    def __init__(self, routes: list[BaseRoute], own: frozenset[str]) -> None:
        self.router = Router(routes=routes)
        self.own = own

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope["path"] not in PATHS:
            return Match.NONE, {}
        host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
        domain = domain_of_host(host, self.own)
        if domain is None:
            return Match.NONE, {}
        return Match.FULL, {"path_params": {**scope.get("path_params", {}), "domain": domain}}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.router(scope, receive, send)


def routes(context: Context) -> list[BaseRoute]:
    settings = context.settings
    own = {settings.host, "localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]"}
    if settings.public_url:
        from urllib.parse import urlsplit

        own.add(urlsplit(settings.public_url).hostname or "")
    inner = domain_routes(context)
    return [
        DomainHost(inner, frozenset(own)),
        Mount(f"{PATH_PREFIX}/{{domain}}", routes=inner),
        *login.asset_routes(context),
    ]
