"""/{poolId}/.well-known/jwks.json and openid-configuration: what verifiers of our tokens read."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from userpools.domain import tokens
from userpools.operations.auth.issue import issuer, signing_keys
from userpools.steps.context import Context


def jwks_document(context: Context, pool_id: str) -> dict[str, Any] | None:
    with context.store.transaction() as tx:  # the first key of a pool is created on first use
        if tx.pools.get(pool_id) is None:
            return None
        return tokens.jwks(signing_keys(context, tx, pool_id))


def openid_configuration(context: Context, pool_id: str, domain: str | None = None) -> dict[str, Any]:
    """The pool's OIDC discovery document. The OAuth endpoints are listed only when the pool has a ``domain``,
    under the server's own URL (``/_domain/<domain>/...``, which every client can reach)."""
    iss = issuer(context, pool_id)
    served: dict[str, Any] = {"response_types_supported": []}
    if domain is not None:
        site = f"{context.settings.base_url}/_domain/{domain}"
        served = {
            "authorization_endpoint": f"{site}/oauth2/authorize",
            "token_endpoint": f"{site}/oauth2/token",
            "userinfo_endpoint": f"{site}/oauth2/userInfo",
            "revocation_endpoint": f"{site}/oauth2/revoke",
            "response_types_supported": ["code", "token"],
            "grant_types_supported": ["authorization_code", "implicit", "refresh_token", "client_credentials"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        }
    return {
        "issuer": iss,
        "jwks_uri": f"{iss}/.well-known/jwks.json",
        **served,
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [tokens.ALGORITHM],
        "scopes_supported": ["openid", "email", "phone", "profile"],
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


def _domain_of(context: Context, pool_id: str) -> str | None:
    """The pool's domain for discovery (its prefix domain, else its custom one; "" for none); None: no pool."""
    with context.store.transaction(write=False) as tx:
        if tx.pools.get(pool_id) is None:
            return None
        domains = tx.domains.of_pool(pool_id)  # prefix domains first
    return domains[0].domain if domains else ""


def _missing(pool_id: str) -> Response:
    return JSONResponse({"message": f"User pool {pool_id} does not exist."}, status_code=404)


def routes(context: Context) -> list[Route]:
    async def jwks(request: Request) -> Response:
        pool_id = request.path_params["pool_id"]
        document = await run_in_threadpool(jwks_document, context, pool_id)
        return _missing(pool_id) if document is None else JSONResponse(document)

    async def discovery(request: Request) -> Response:
        pool_id = request.path_params["pool_id"]
        found = await run_in_threadpool(_domain_of, context, pool_id)
        if found is None:
            return _missing(pool_id)
        return JSONResponse(openid_configuration(context, pool_id, found or None))

    return [
        Route("/{pool_id}/.well-known/jwks.json", jwks, methods=["GET"]),
        Route("/{pool_id}/.well-known/openid-configuration", discovery, methods=["GET"]),
    ]
