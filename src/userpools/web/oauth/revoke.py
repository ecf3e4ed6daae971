"""/oauth2/revoke (RFC 7009): a refresh token and the tokens issued with it; RevokeToken's own rules."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from userpools.domain import tokens
from userpools.domain.clients import Client
from userpools.steps.context import Context
from userpools.web.oauth.clients import authenticate
from userpools.web.oauth.errors import (
    InvalidRequest,
    OAuth2Error,
    UnauthorizedClient,
    UnsupportedTokenType,
    error_response,
)
from userpools.web.oauth.site import Site, form_value


def _revoke(context: Context, client: Client, token: str) -> None:
    if not client.revocation_enabled:
        raise UnauthorizedClient("Token revocation is not enabled for this app client.")
    if token.count(".") == 2:
        raise UnsupportedTokenType()
    with context.store.transaction() as tx:
        row = tx.refresh_tokens.get(tokens.hash_token(token))
        if row is not None and row.client_id == client.id:  # another client's token: ignored (RFC 7009)
            tx.refresh_tokens.revoke(row.token_hash)


async def revoke(context: Context, site: Site, request: Request) -> Response:
    form = await request.form()
    try:
        token = form_value(form, "token")
        if not token:
            raise InvalidRequest("token is required.")
        client = await run_in_threadpool(authenticate, context, site, request, form)
        await run_in_threadpool(_revoke, context, client, token)
    except OAuth2Error as error:
        return error_response(error)
    return JSONResponse({})
