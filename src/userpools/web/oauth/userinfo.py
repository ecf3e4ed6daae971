"""/oauth2/userInfo: the signed-in user's attributes for a valid access token (Bearer), as far as the
client may read them; ``email``/``phone``/``profile`` scopes are not required (Cognito answers with every
readable attribute for an ``openid`` or ``aws.cognito.signin.user.admin`` token)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from userpools.errors import ServiceError
from userpools.operations.auth.issue import authorize
from userpools.steps.context import Context
from userpools.web.oauth.site import Site, client_of

_BOOLEANS = ("email_verified", "phone_number_verified")


def _claims(context: Context, site: Site, access_token: str) -> dict[str, Any] | None:
    try:
        with context.store.transaction(write=False) as tx:
            caller = authorize(context, tx, access_token)
    except ServiceError:
        return None
    scopes = str(caller.claims.get("scope", "")).split()
    if caller.pool.id != site.pool.id or not ({"openid", "aws.cognito.signin.user.admin"} & set(scopes)):
        return None
    client = client_of(context, site, caller.client_id)
    readable = client.read_attributes if client else None
    out: dict[str, Any] = {}
    for name, value in caller.user.attributes.items():
        if readable is None or name in readable or name == "sub":
            out[name] = value if name not in _BOOLEANS else str(value == "true").lower()
    out["username"] = caller.user.username
    return out


async def userinfo(context: Context, site: Site, request: Request) -> Response:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    claims = await run_in_threadpool(_claims, context, site, value.strip()) if scheme.lower() == "bearer" else None
    if claims is None:
        challenge = 'Bearer error="invalid_token", error_description="Access token is not valid"'
        body = {"error": "invalid_token", "error_description": "Access token is not valid"}
        return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": challenge})
    return JSONResponse(claims)
