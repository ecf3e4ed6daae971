"""/oauth2/token: authenticate the client, then the grant ``grant_type`` names (grants/)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from userpools.steps.context import Context
from userpools.web.oauth.clients import authenticate
from userpools.web.oauth.errors import NO_STORE, InvalidRequest, OAuth2Error, UnsupportedGrantType, error_response
from userpools.web.oauth.grants import GRANTS
from userpools.web.oauth.site import Site, form_value


async def token(context: Context, site: Site, request: Request) -> Response:
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return error_response(InvalidRequest("The body must be application/x-www-form-urlencoded."))
    form = await request.form()
    try:
        grant_type = form_value(form, "grant_type")
        grant = GRANTS.get(grant_type)
        if grant is None:
            raise UnsupportedGrantType(grant_type)
        client = await run_in_threadpool(authenticate, context, site, request, form)
        body = await run_in_threadpool(grant, context, site, client, form)
    except OAuth2Error as error:
        return error_response(error)
    return JSONResponse(body, headers=NO_STORE)
