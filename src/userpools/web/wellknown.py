"""/{poolId}/.well-known/jwks.json and openid-configuration: what verifiers of our tokens read."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from userpools.domain import tokens
from userpools.operations.auth.issue import issuer, signing_keys
from userpools.operations.context import Context


def jwks_document(context: Context, pool_id: str) -> dict[str, Any] | None:
    with context.store.transaction() as tx:  # the first key of a pool is created on first use
        if tx.pools.get(pool_id) is None:
            return None
        return tokens.jwks(signing_keys(context, tx, pool_id))


def openid_configuration(context: Context, pool_id: str) -> dict[str, Any]:
    iss = issuer(context, pool_id)
    return {
        "issuer": iss,
        "jwks_uri": f"{iss}/.well-known/jwks.json",
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [tokens.ALGORITHM],
        "response_types_supported": ["code", "token"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "claims_supported": [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "token_use",
            "cognito:username",
            "email",
            "email_verified",
            "phone_number",
            "phone_number_verified",
        ],
    }


def _missing(pool_id: str) -> Response:
    return JSONResponse({"message": f"User pool {pool_id} does not exist."}, status_code=404)


def routes(context: Context) -> list[Route]:
    async def jwks(request: Request) -> Response:
        pool_id = request.path_params["pool_id"]
        document = await run_in_threadpool(jwks_document, context, pool_id)
        return _missing(pool_id) if document is None else JSONResponse(document)

    async def discovery(request: Request) -> Response:
        pool_id = request.path_params["pool_id"]
        if await run_in_threadpool(jwks_document, context, pool_id) is None:
            return _missing(pool_id)
        return JSONResponse(openid_configuration(context, pool_id))

    return [
        Route("/{pool_id}/.well-known/jwks.json", jwks, methods=["GET"]),
        Route("/{pool_id}/.well-known/openid-configuration", discovery, methods=["GET"]),
    ]
