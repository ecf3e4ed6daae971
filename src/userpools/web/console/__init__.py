"""The web console at /_userpools/console/: pools, users, app clients, groups, the outbox and a token
inspector, rendered on the server (Jinja2 templates and a little CSS and JavaScript shipped here, nothing
from a CDN) and usable without JavaScript. Every action is one Cognito operation run by the API's own
handler with the API's validation (view.py), so the console cannot write what the API would refuse; its
errors are Cognito's messages. Destructive actions ask first. Access: session.py and signin.py."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from userpools.steps.context import Context
from userpools.web.console import clients, groups, outbox, pools, signin, tokens, users
from userpools.web.console.session import PATH
from userpools.web.console.view import asset_route, route


async def _home(request: Request) -> Response:
    return RedirectResponse(PATH + "/", 308)


def routes(context: Context) -> list[BaseRoute]:
    pool = "/pools/{pool}"
    return [
        Route(PATH, _home, methods=["GET"]),
        asset_route(context),
        route(context, "/signin", signin.form, signin.sign_in, public=True),
        route(context, "/signout", None, signin.sign_out),
        route(context, "/", pools.index),
        route(context, "/pools", pools.index, pools.create),
        route(context, pool, pools.show),
        route(context, pool + "/delete", None, pools.delete),
        route(context, pool + "/users", users.index, users.create),
        route(context, pool + "/user", users.show),
        route(context, pool + "/user/{action}", None, users.act),
        route(context, pool + "/clients", clients.index, clients.create),
        route(context, pool + "/clients/{client}", clients.show),
        route(context, pool + "/clients/{client}/delete", None, clients.delete),
        route(context, pool + "/groups", groups.index, groups.create),
        route(context, pool + "/group", groups.show),
        route(context, pool + "/group/delete", None, groups.delete),
        route(context, "/outbox", outbox.index),
        route(context, "/tokens", tokens.index, tokens.index),
    ]
